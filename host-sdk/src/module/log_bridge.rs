//! Forwards the module's `tracing` events to the host's subscriber.
//!
//! A library has its own copy of `tracing` and therefore its own global dispatcher; without
//! this bridge its events would go nowhere.

use crate::abi::{LogLevel, LogRecord, LogSink};
use abi_stable::std_types::RStr;
use std::fmt::{self, Write};
use tracing::{
    Event, Subscriber,
    field::{Field, Visit},
    span::{Attributes, Id},
};
use tracing_subscriber::{
    Layer, filter::Targets, layer::Context, layer::SubscriberExt, registry, registry::LookupSpan,
};

/// The name of the span the SDK opens around each request a module serves.
pub(crate) const REQUEST_SPAN: &str = "request";

/// The request id a request span carries, kept in the span's extensions.
struct RequestIdOfSpan(String);

/// Reads the `request_id` field of a request span.
#[derive(Default)]
struct RequestIdField(Option<String>);

impl Visit for RequestIdField {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "request_id" {
            self.0 = Some(format!("{value:?}"));
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "request_id" {
            self.0 = Some(value.to_owned());
        }
    }
}

struct HostLogLayer {
    sink: LogSink,
    module: String,
}

/// Formats an event as `message key=value key=value`.
#[derive(Default)]
struct EventText {
    message: String,
    fields: String,
}

impl Visit for EventText {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.fields, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            let _ = write!(self.fields, " {}={value}", field.name());
        }
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for HostLogLayer {
    fn on_new_span(&self, attributes: &Attributes<'_>, id: &Id, context: Context<'_, S>) {
        if attributes.metadata().name() != REQUEST_SPAN {
            return;
        }
        let mut field = RequestIdField::default();
        attributes.record(&mut field);
        if let (Some(request_id), Some(span)) = (field.0, context.span(id)) {
            span.extensions_mut().insert(RequestIdOfSpan(request_id));
        }
    }

    fn on_event(&self, event: &Event<'_>, context: Context<'_, S>) {
        let mut text = EventText::default();
        event.record(&mut text);
        text.message.push_str(&text.fields);
        let metadata = event.metadata();
        // The innermost request span this event happened in, if any.
        let request_id = context.event_scope(event).and_then(|scope| {
            scope.into_iter().find_map(|span| {
                span.extensions()
                    .get::<RequestIdOfSpan>()
                    .map(|id| id.0.clone())
            })
        });
        (self.sink.emit)(LogRecord {
            level: LogLevel::from_tracing(*metadata.level()),
            module: RStr::from_str(&self.module),
            target: RStr::from_str(metadata.target()),
            message: RStr::from_str(&text.message),
            request_id: RStr::from_str(request_id.as_deref().unwrap_or("")),
        });
    }
}

/// Installs the bridge as this library's global subscriber, filtered at `level`.
///
/// sea-orm-migration's own progress lines are not forwarded below warnings: the host
/// prints each migration it applies, and the operator should read each once.
pub(crate) fn install(sink: LogSink, level: LogLevel, module: &str) {
    let Some(max_level) = level.to_tracing() else {
        return;
    };
    let filter = Targets::new()
        .with_default(max_level)
        .with_target("sea_orm_migration", max_level.min(tracing::Level::WARN));
    let layer = HostLogLayer {
        sink,
        module: module.to_owned(),
    }
    .with_filter(filter);
    // A second init in the same process keeps the first bridge, which is the same sink.
    let _ = tracing::subscriber::set_global_default(registry().with(layer));
}
