//! Provenance: a finished flow as a tree of causes.

use std::fmt;
use std::sync::Arc;

use crate::engine::FlowReport;
use crate::record::Record;

/// One action of a flow and the actions it caused.
#[derive(Debug, Clone)]
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
    /// records hangs under the latest of them.
    pub fn tree(&self) -> Vec<ProvenanceNode> {
        let mut children: Vec<Vec<usize>> = vec![Vec::new(); self.records.len()];
        let mut roots = Vec::new();
        for (index, record) in self.records.iter().enumerate() {
            match record.cause().and_then(|cause| cause.records.iter().max()) {
                Some(parent) if (parent.0 as usize) < index => children[parent.0 as usize].push(index),
                _ => roots.push(index),
            }
        }
        roots.into_iter().map(|root| self.node(root, &children)).collect()
    }

    fn node(&self, index: usize, children: &[Vec<usize>]) -> ProvenanceNode {
        ProvenanceNode {
            record: self.records[index].clone(),
            children: children[index]
                .iter()
                .map(|child| self.node(*child, children))
                .collect(),
        }
    }
}

impl ProvenanceNode {
    fn write(&self, f: &mut fmt::Formatter<'_>, prefix: &str, last: bool, root: bool) -> fmt::Result {
        let (branch, indent) = match (root, last) {
            (true, _) => ("", ""),
            (false, true) => ("└─ ", "   "),
            (false, false) => ("├─ ", "│  "),
        };
        let via = match self.record.cause() {
            Some(cause) => format!("[{}] ", cause.sync),
            None => String::new(),
        };
        writeln!(f, "{prefix}{branch}{via}{}", self.record)?;
        let prefix = format!("{prefix}{indent}");
        for (position, child) in self.children.iter().enumerate() {
            child.write(f, &prefix, position + 1 == self.children.len(), false)?;
        }
        Ok(())
    }
}

impl fmt::Display for ProvenanceNode {
    /// An indented tree, one action per line, each with the sync that
    /// invoked it in brackets; secrets redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(f, "", true, true)
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
