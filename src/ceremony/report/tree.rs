//! The picture of the trust delegations: root → top-level roles → delegated roles →
//! projects, as a [`Node`] tree (drawn as text in Markdown) and as inline SVG for the HTML
//! report. Each role is shown with its keyholders and threshold.

use crate::ceremony::Ceremony;
use crate::display::escape;
use crate::display::html as esc;
use crate::error::Result;
use crate::metadata::Metadata;
use crate::names::RoleName;
use crate::tree::{bins_node, Node, DRAW_PROJECTS};

fn who_list(
    c: &Ceremony,
    keyids: &[String],
    keys: &std::collections::BTreeMap<String, crate::keys::Key>,
) -> String {
    let mut names: Vec<String> = Vec::new();
    for id in keyids {
        let n = c.who(id, keys.get(id));
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names.join(", ")
}

/// The delegation tree: root → top-level roles → delegated roles → projects (counted when
/// there are many).
pub fn tree(c: &Ceremony) -> Result<Option<Node>> {
    let Some(root_md) = c.working_opt(&RoleName::ROOT)? else {
        return Ok(None);
    };
    let Some(root) = root_md.root() else {
        return Ok(None);
    };
    let own = root.role("root");
    let mut top = Node {
        name: format!("root v{}", root.common.version),
        keys: own
            .map(|r| {
                format!(
                    "{} of {}: {}",
                    r.threshold,
                    r.keyids.len(),
                    who_list(c, &r.keyids, &root.keys)
                )
            })
            .unwrap_or_default(),
        children: Vec::new(),
    };
    let targets_md = c.working_opt(&RoleName::TARGETS)?;
    for name in ["targets", "snapshot", "timestamp"] {
        let Some(r) = root.role(name) else { continue };
        let mut node = Node {
            name: name.to_string(),
            keys: format!(
                "{} of {}: {}",
                r.threshold,
                r.keyids.len(),
                who_list(c, &r.keyids, &root.keys)
            ),
            children: Vec::new(),
        };
        if name == "targets" {
            if let Some(t) = targets_md.as_ref().and_then(Metadata::targets) {
                node.name = format!("targets v{}", t.common.version);
                if let Some(d) = &t.delegations {
                    for r in d.roles.iter().flatten() {
                        node.children.push(delegated_node(
                            c,
                            &r.name,
                            &r.keyids,
                            r.threshold,
                            &d.keys,
                        )?);
                    }
                    node.children
                        .extend(bins_node(d, |ids| who_list(c, ids, &d.keys)));
                }
            }
        }
        top.children.push(node);
    }
    Ok(Some(top))
}

fn delegated_node(
    c: &Ceremony,
    name: &str,
    keyids: &[String],
    threshold: u64,
    keys: &std::collections::BTreeMap<String, crate::keys::Key>,
) -> Result<Node> {
    let mut node = Node {
        name: escape(name).into_owned(),
        keys: format!(
            "{threshold} of {}: {}",
            keyids.len(),
            who_list(c, keyids, keys)
        ),
        children: Vec::new(),
    };
    // Only a role of this ceremony has a file here; the name in targets is not trusted
    // as a file name.
    let Some(role) = c.state.delegated.iter().find(|d| **d == name) else {
        return Ok(node);
    };
    let Some(md) = c.working_opt(role)? else {
        return Ok(node);
    };
    node.name = format!("{} v{}", escape(name), md.version());
    if let Some(d) = md.targets().and_then(|t| t.delegations.as_ref()) {
        let roles: Vec<_> = d.roles.iter().flatten().collect();
        for r in roles.iter().take(DRAW_PROJECTS) {
            node.children.push(Node {
                name: escape(&r.name).into_owned(),
                keys: format!("{} of {} developer key(s)", r.threshold, r.keyids.len()),
                children: Vec::new(),
            });
        }
        if roles.len() > DRAW_PROJECTS {
            node.children.push(Node {
                name: format!("… {} more projects", roles.len() - DRAW_PROJECTS),
                keys: format!("{} delegations in all", roles.len()),
                children: Vec::new(),
            });
        }
        node.children
            .extend(bins_node(d, |ids| who_list(c, ids, &d.keys)));
    }
    Ok(node)
}

/// The tree as an SVG picture: one column per level, boxes joined by lines.
pub fn tree_svg(root: &Node) -> String {
    const W: i64 = 260;
    const H: i64 = 46;
    const GAP_X: i64 = 60;
    const GAP_Y: i64 = 14;
    struct Placed {
        x: i64,
        y: i64,
        name: String,
        keys: String,
        parent: Option<usize>,
    }
    let mut placed: Vec<Placed> = Vec::new();
    let mut next_row = 0i64;
    fn place(
        n: &Node,
        depth: i64,
        parent: Option<usize>,
        next_row: &mut i64,
        placed: &mut Vec<Placed>,
    ) -> i64 {
        let idx = placed.len();
        placed.push(Placed {
            x: depth * (W + GAP_X),
            y: 0,
            name: n.name.clone(),
            keys: n.keys.clone(),
            parent,
        });
        let y = if n.children.is_empty() {
            let y = *next_row * (H + GAP_Y);
            *next_row += 1;
            y
        } else {
            let ys: Vec<i64> = n
                .children
                .iter()
                .map(|ch| place(ch, depth + 1, Some(idx), next_row, placed))
                .collect();
            (ys[0] + ys[ys.len() - 1]) / 2
        };
        placed[idx].y = y;
        y
    }
    place(root, 0, None, &mut next_row, &mut placed);
    let width = placed.iter().map(|p| p.x + W).max().unwrap_or(W) + 20;
    let height = placed.iter().map(|p| p.y + H).max().unwrap_or(H) + 20;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"trust\" width=\"{width}\" height=\"{height}\" style=\"max-width:100%;height:auto\" viewBox=\"-10 -10 {width} {height}\" role=\"img\" aria-label=\"trust delegations\">\n"
    );
    for p in &placed {
        if let Some(parent) = p.parent {
            let q = &placed[parent];
            svg.push_str(&format!(
                "<path d=\"M{} {} C{} {} {} {} {} {}\" fill=\"none\" stroke=\"#555\" stroke-width=\"1.5\"/>\n",
                q.x + W, q.y + H / 2, q.x + W + GAP_X / 2, q.y + H / 2, p.x - GAP_X / 2, p.y + H / 2, p.x, p.y + H / 2
            ));
        }
    }
    for p in &placed {
        let online = p.keys.contains(" online key") || p.keys.contains("repository-online-key");
        let fill = if online { "#eef4fb" } else { "#fdf6e3" };
        let mut keys = p.keys.clone();
        if keys.chars().count() > 42 {
            keys = keys.chars().take(41).collect::<String>() + "…";
        }
        svg.push_str(&format!(
            "<g class=\"role\"><rect x=\"{}\" y=\"{}\" width=\"{W}\" height=\"{H}\" rx=\"6\" fill=\"{fill}\" stroke=\"#333\"/><text x=\"{}\" y=\"{}\" font-family=\"sans-serif\" font-size=\"14\" font-weight=\"bold\">{}</text><text x=\"{}\" y=\"{}\" font-family=\"sans-serif\" font-size=\"11\">{}</text></g>\n",
            p.x, p.y, p.x + 8, p.y + 18, esc(&p.name), p.x + 8, p.y + 36, esc(&keys)
        ));
    }
    svg.push_str("</svg>\n");
    svg
}
