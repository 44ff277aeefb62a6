// The device's Ed25519 key, made by Web Crypto. The private key is generated
// non-extractable: it signs, and nothing (not this code either) can read it out.

function base64(bytes) {
  let text = "";
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text);
}

export async function newKeyPair() {
  return crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
}

export async function publicKeyBase64(keys) {
  return base64(await crypto.subtle.exportKey("raw", keys.publicKey));
}

// The signature of exactly these UTF-8 bytes, which is what the server verifies.
export async function signText(keys, text) {
  const signature = await crypto.subtle.sign({ name: "Ed25519" }, keys.privateKey, new TextEncoder().encode(text));
  return base64(signature);
}

// A UUIDv7: the time in milliseconds, then random bits, as the protocol asks of record ids.
export function uuidv7() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let time = Date.now();
  for (let i = 5; i >= 0; i--) { bytes[i] = time % 256; time = Math.floor(time / 256); }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
