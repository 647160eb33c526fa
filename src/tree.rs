//! The delegation picture: who a metadata file trusts or delegates to, as a tree of
//! nodes drawn as indented text (`inspect --tree`, the Markdown report) or as SVG (the
//! HTML report). Every name in a node is escaped where the node is made.

use crate::display::{escape, short};
use crate::metadata::{Delegations, Metadata};
use crate::succinct::SuccinctRoles;

/// How many delegated projects are drawn one by one before the picture shows a count.
pub const DRAW_PROJECTS: usize = 6;

/// One node of the delegation picture, as it is shown (names escaped).
#[derive(Clone, Debug)]
pub struct Node {
    pub name: String,
    /// "2 of 3: alice, bob, carol" or "online key".
    pub keys: String,
    pub children: Vec<Node>,
}

/// TAP 15 hash bins as one node: "bins-00 … bins-ff (256 hash bins, 1 of 1: KEYS)", the
/// keys named by `keys`. An unreadable `succinct_roles` is drawn as such.
pub fn bins_node(d: &Delegations, keys: impl Fn(&[String]) -> String) -> Option<Node> {
    let node = match SuccinctRoles::of(d)? {
        Ok(bins) => {
            let (first, last) = bins.first_and_last();
            let ids: Vec<String> = bins.keyids.iter().map(|id| id.to_string()).collect();
            Node {
                name: format!("{} … {}", escape(&first), escape(&last)),
                keys: format!(
                    "{} hash bins, {} of {}: {}",
                    bins.bins(),
                    bins.threshold,
                    ids.len(),
                    keys(&ids)
                ),
                children: Vec::new(),
            }
        }
        Err(why) => Node {
            name: crate::succinct::FIELD.into(),
            keys: format!("not a TAP 15 hash-bin delegation: {why}"),
            children: Vec::new(),
        },
    };
    Some(node)
}

/// The roles one metadata file trusts (root) or delegates to (targets, claimed), for
/// `inspect --tree`. Keys are named by keyid: a lone file knows no keyholders.
pub fn file_tree(md: &Metadata) -> Node {
    let ids = |keyids: &[String]| {
        keyids
            .iter()
            .map(|k| short(k))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut top = Node {
        name: format!("{} v{}", md.signed.type_name(), md.version()),
        keys: format!("{} signature(s)", md.signatures.len()),
        children: Vec::new(),
    };
    if let Some(root) = md.root() {
        for (name, r) in &root.roles {
            top.children.push(Node {
                name: escape(name).into_owned(),
                keys: format!("{} of {}: {}", r.threshold, r.keyids.len(), ids(&r.keyids)),
                children: Vec::new(),
            });
        }
    }
    if let Some(d) = md.targets().and_then(|t| t.delegations.as_ref()) {
        let roles: Vec<_> = d.roles.iter().flatten().collect();
        for r in roles.iter().take(DRAW_PROJECTS) {
            top.children.push(Node {
                name: escape(&r.name).into_owned(),
                keys: format!("{} of {}: {}", r.threshold, r.keyids.len(), ids(&r.keyids)),
                children: Vec::new(),
            });
        }
        if roles.len() > DRAW_PROJECTS {
            top.children.push(Node {
                name: format!("… {} more", roles.len() - DRAW_PROJECTS),
                keys: format!("{} delegations in all", roles.len()),
                children: Vec::new(),
            });
        }
        top.children.extend(bins_node(d, ids));
    }
    top
}

/// The tree as indented text, for the terminal and Markdown.
pub fn tree_text(node: &Node) -> Vec<String> {
    fn walk(n: &Node, prefix: &str, last: bool, top: bool, out: &mut Vec<String>) {
        let branch = if top {
            ""
        } else if last {
            "└─ "
        } else {
            "├─ "
        };
        out.push(format!("{prefix}{branch}{}  ({})", n.name, n.keys));
        let child_prefix = if top {
            String::new()
        } else {
            format!("{prefix}{}", if last { "   " } else { "│  " })
        };
        for (i, ch) in n.children.iter().enumerate() {
            walk(ch, &child_prefix, i + 1 == n.children.len(), false, out);
        }
    }
    let mut out = Vec::new();
    walk(node, "", true, true, &mut out);
    out
}
