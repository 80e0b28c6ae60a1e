//! Provenance: a finished flow as a tree of causes.

use std::fmt;
use std::sync::Arc;

use crate::engine::FlowReport;
use crate::record::Record;

/// One action of a flow and the actions it caused.
#[derive(Debug)]
pub struct ProvenanceNode {
    /// The action's record; its [`Record::cause`] names the sync that invoked it.
    pub record: Arc<Record>,
    /// The actions invoked by syncs that this record made fire (as their
    /// latest matched record), in order.
    pub children: Vec<ProvenanceNode>,
}

impl FlowReport {
    /// The flow as a tree: its root action (the external invocation), then
    /// what each action caused. A record caused by a sync that matched several
    /// records hangs under the latest of them. Built without recursion, so a
    /// chain of any length is fine.
    pub fn tree(&self) -> Vec<ProvenanceNode> {
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); self.records.len()];
        let mut roots = Vec::new();
        for (index, record) in self.records.iter().enumerate() {
            match record.cause().and_then(|cause| cause.records.iter().max()) {
                Some(parent) if (parent.0 as usize) < index => children[parent.0 as usize].push(index),
                _ => roots.push(index),
            }
        }
        // Children always come after their parent: build from the last record
        // back, so every child's node is complete before its parent takes it.
        let mut built: Vec<Option<ProvenanceNode>> = (0..self.records.len()).map(|_| None).collect();
        for index in (0..self.records.len()).rev() {
            let node = ProvenanceNode {
                record: self.records[index].clone(),
                children: children[index]
                    .iter()
                    .filter_map(|child| built[*child].take())
                    .collect(),
            };
            built[index] = Some(node);
        }
        roots.into_iter().filter_map(|root| built[root].take()).collect()
    }
}

impl Drop for ProvenanceNode {
    /// Drops a deep tree without recursing once per level.
    fn drop(&mut self) {
        let mut pending = std::mem::take(&mut self.children);
        while let Some(mut node) = pending.pop() {
            pending.append(&mut node.children);
        }
    }
}

impl ProvenanceNode {
    /// Writes the tree with an explicit stack (no recursion).
    fn write_tree(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // (node, prefix for its children, its own branch, is root)
        let mut stack: Vec<(&ProvenanceNode, String, &str)> = vec![(self, String::new(), "")];
        while let Some((node, prefix, branch)) = stack.pop() {
            let via = match node.record.cause() {
                Some(cause) => format!("[{}] ", cause.sync),
                None => String::new(),
            };
            let own_prefix = prefix.strip_suffix(match branch {
                "└─ " => "   ",
                "├─ " => "│  ",
                _ => "",
            });
            writeln!(f, "{}{branch}{via}{}", own_prefix.unwrap_or(&prefix), node.record)?;
            let count = node.children.len();
            for (position, child) in node.children.iter().enumerate().rev() {
                let last = position + 1 == count;
                let (branch, indent) = if last {
                    ("└─ ", "   ")
                } else {
                    ("├─ ", "│  ")
                };
                stack.push((child, format!("{prefix}{indent}"), branch));
            }
        }
        Ok(())
    }
}

impl fmt::Display for ProvenanceNode {
    /// An indented tree, one action per line, each with the sync that
    /// invoked it in brackets; secrets redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_tree(f)
    }
}

impl fmt::Display for FlowReport {
    /// The flow's id, then its provenance tree.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.flow)?;
        for root in self.tree() {
            write!(f, "{root}")?;
        }
        Ok(())
    }
}
