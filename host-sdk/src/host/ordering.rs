use super::LoadError;
use std::collections::{BTreeMap, BTreeSet};

/// Something that takes part in start-up ordering.
pub trait DependencyNode {
    /// The module's name.
    fn node_name(&self) -> &str;
    /// Names it requires.
    fn node_requires(&self) -> &[String];
    /// Priority among independent modules (lower first).
    fn node_priority(&self) -> i32;
}

/// Orders `nodes` so that every module comes after the modules it requires, and among
/// modules free to go, the lowest priority (then name) first. Requirements outside the list
/// are ignored here: the caller decides whether they are satisfied elsewhere.
///
/// Answers indexes into `nodes`.
///
/// ```
/// use host_sdk::host::{DependencyNode, dependency_order};
/// struct M(&'static str, Vec<String>, i32);
/// impl DependencyNode for M {
///     fn node_name(&self) -> &str { self.0 }
///     fn node_requires(&self) -> &[String] { &self.1 }
///     fn node_priority(&self) -> i32 { self.2 }
/// }
/// let modules = [M("Reports", vec!["Core".into()], 1), M("Core", vec![], 50), M("Alpha", vec![], 10)];
/// assert_eq!(dependency_order(&modules).unwrap(), vec![2, 1, 0]);
/// ```
pub fn dependency_order<T: DependencyNode>(nodes: &[T]) -> Result<Vec<usize>, LoadError> {
    let index_of: BTreeMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(index, node)| (node.node_name(), index))
        .collect();
    let mut waiting_on: Vec<BTreeSet<usize>> = nodes
        .iter()
        .map(|node| {
            node.node_requires()
                .iter()
                .filter_map(|name| index_of.get(name.as_str()).copied())
                .collect()
        })
        .collect();
    let mut done = vec![false; nodes.len()];
    let mut order = Vec::with_capacity(nodes.len());
    while order.len() < nodes.len() {
        let next = (0..nodes.len())
            .filter(|&i| !done[i] && waiting_on[i].is_empty())
            .min_by(|&a, &b| {
                (nodes[a].node_priority(), nodes[a].node_name())
                    .cmp(&(nodes[b].node_priority(), nodes[b].node_name()))
            });
        let Some(next) = next else {
            let names: Vec<&str> = (0..nodes.len())
                .filter(|&i| !done[i])
                .map(|i| nodes[i].node_name())
                .collect();
            return Err(LoadError::DependencyCycle {
                names: names.join(", "),
            });
        };
        done[next] = true;
        order.push(next);
        for waits in &mut waiting_on {
            waits.remove(&next);
        }
    }
    Ok(order)
}

impl DependencyNode for super::ModuleToml {
    fn node_name(&self) -> &str {
        &self.name
    }
    fn node_requires(&self) -> &[String] {
        &self.requires
    }
    fn node_priority(&self) -> i32 {
        self.priority
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Node(&'static str, Vec<String>, i32);

    impl DependencyNode for Node {
        fn node_name(&self) -> &str {
            self.0
        }
        fn node_requires(&self) -> &[String] {
            &self.1
        }
        fn node_priority(&self) -> i32 {
            self.2
        }
    }

    #[test]
    fn requirements_beat_priority() {
        let nodes = [
            Node("B", vec!["A".into()], 0),
            Node("A", vec![], 99),
            Node("C", vec![], 50),
        ];
        assert_eq!(dependency_order(&nodes).unwrap(), vec![2, 1, 0]);
    }

    #[test]
    fn a_cycle_is_named() {
        let nodes = [
            Node("A", vec!["B".into()], 0),
            Node("B", vec!["A".into()], 0),
            Node("C", vec![], 0),
        ];
        let error = dependency_order(&nodes).unwrap_err();
        assert_eq!(
            error.to_string(),
            "modules A, B require each other: remove the cycle from their requires"
        );
    }
}
