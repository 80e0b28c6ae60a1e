//! The sync graph: concept actions as nodes, syncs as edges from the actions
//! their `when` names to the actions their `then` invokes.

use std::collections::BTreeSet;
use std::fmt::Write;

use petgraph::graph::{DiGraph, NodeIndex};

use crate::sync::CompiledSync;

/// The sync graph of an engine (see [`Engine::graph`](crate::Engine::graph)).
#[derive(Debug, Clone)]
pub struct SyncGraph {
    graph: DiGraph<String, &'static str>,
}

impl SyncGraph {
    pub(crate) fn new(syncs: &[CompiledSync]) -> SyncGraph {
        let mut graph: DiGraph<String, &'static str> = DiGraph::new();
        let node = |graph: &mut DiGraph<String, &'static str>, name: String| -> NodeIndex {
            match graph.node_indices().find(|index| graph[*index] == name) {
                Some(index) => index,
                None => graph.add_node(name),
            }
        };
        for sync in syncs {
            for pattern in &sync.when {
                let from = node(&mut graph, pattern.action.to_string());
                for action in &sync.then {
                    let to = node(&mut graph, action.to_string());
                    graph.add_edge(from, to, sync.name);
                }
            }
        }
        SyncGraph { graph }
    }

    /// The nodes: `Concept.action`, sorted.
    pub fn nodes(&self) -> Vec<&str> {
        let nodes: BTreeSet<&str> = self.graph.node_weights().map(String::as_str).collect();
        nodes.into_iter().collect()
    }

    /// The edges: `(from, sync, to)`, sorted.
    pub fn edges(&self) -> Vec<(&str, &str, &str)> {
        let edges: BTreeSet<(&str, &str, &str)> = self
            .graph
            .edge_indices()
            .filter_map(|edge| {
                let (from, to) = self.graph.edge_endpoints(edge)?;
                Some((
                    self.graph[from].as_str(),
                    self.graph[edge],
                    self.graph[to].as_str(),
                ))
            })
            .collect();
        edges.into_iter().collect()
    }

    /// The graph in Graphviz DOT (render with `dot -Tsvg`).
    pub fn to_dot(&self) -> String {
        let mut out = String::from("digraph syncs {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n");
        for node in self.nodes() {
            let _ = writeln!(out, "  \"{node}\";");
        }
        for (from, sync, to) in self.edges() {
            let _ = writeln!(out, "  \"{from}\" -> \"{to}\" [label=\"{sync}\"];");
        }
        out.push_str("}\n");
        out
    }

    /// The graph as a Mermaid flowchart.
    pub fn to_mermaid(&self) -> String {
        let nodes = self.nodes();
        let id = |name: &str| nodes.iter().position(|node| *node == name).unwrap_or(0);
        let mut out = String::from("flowchart LR\n");
        for (index, node) in nodes.iter().enumerate() {
            let _ = writeln!(out, "  n{index}[\"{node}\"]");
        }
        for (from, sync, to) in self.edges() {
            let _ = writeln!(out, "  n{} -- \"{sync}\" --> n{}", id(from), id(to));
        }
        out
    }
}
