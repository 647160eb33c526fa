//! Writing the gathered report in its two forms: Markdown (the picture as an indented tree)
//! and self-contained HTML (inline CSS and SVG, nothing fetched, printable). Every value,
//! escaped once where it was read, is written in the syntax of the form here.

use super::tree::tree_svg;
use super::{gather, Content};
use crate::ceremony::status::RoleStatus;
use crate::ceremony::Ceremony;
use crate::display::html as esc;
use crate::display::{self, escape};
use crate::error::Result;
use crate::tree::tree_text;

/// Text in a Markdown table cell or list item, shown as written: Markdown's inline syntax,
/// raw HTML and character references (`&#x202E;` would draw the character it names) are
/// backslash-escaped (CommonMark 2.4), and a `|` cannot end a table cell.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '&' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The longest run of backticks in `s`.
fn backtick_run(s: &str) -> usize {
    s.split(|c| c != '`').map(str::len).max().unwrap_or(0)
}

/// `s` as a Markdown code span: fenced by more backticks than it holds in a row, so it
/// cannot end the span early (CommonMark 6.1).
fn md_code(s: &str) -> String {
    let fence = "`".repeat(backtick_run(s) + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

fn words(digest: &str) -> String {
    crate::pgp_words::words(&hex::decode(digest).unwrap_or_default()).join(" ")
}

/// "LABEL: N signed, M needed: met" for each threshold of a role, marked up for HTML or not.
fn threshold_lines(st: &RoleStatus, html: bool) -> Vec<String> {
    st.thresholds
        .iter()
        .map(|(label, t)| {
            let verdict = if t.met() { "met" } else { "NOT met" };
            let verdict = if html {
                format!(
                    "<span class=\"{}\">{verdict}</span>",
                    if t.met() { "met" } else { "notmet" }
                )
            } else {
                verdict.to_string()
            };
            let label = if html { esc(label) } else { md(label) };
            format!(
                "{label}: {} signed, {} needed: {verdict}",
                t.counted.len(),
                t.threshold
            )
        })
        .collect()
}

/// The report's sections on proven keys: the signed transcript head and who signed it,
/// each key added in this ceremony and whether its holder has proven it, and the policy.
fn proof_sections(c: &Ceremony, k: &Content) -> Result<Vec<(&'static str, Vec<String>)>> {
    let mut policy = crate::ceremony::Report::default();
    crate::ceremony::policy::add_to(c, &mut policy)?;
    let mut out = vec![
        (
            "The signed transcript",
            crate::ceremony::transcript_sign::report_lines(c)?,
        ),
        ("Keys added and proof of possession", k.keys_added.clone()),
    ];
    if !policy.lines.is_empty() {
        out.push(("The ceremony policy", policy.lines));
    }
    Ok(out)
}

/// Who signs the paper: the administrator, each keyholder who signed (with what), and two
/// witnesses.
fn signoff_roles(k: &Content) -> Vec<String> {
    let mut out = vec!["Ceremony administrator".to_string()];
    for (name, signed) in &k.signoff {
        out.push(format!("Keyholder {name} (signed {})", signed.join(", ")));
    }
    out.push("Witness".to_string());
    out.push("Witness".to_string());
    out
}

/// What the report says when this ceremony has exported nothing yet.
const NOT_EXPORTED: &str =
    "Not exported yet: this ceremony has no `export` line in the transcript.";

/// The report as Markdown.
pub fn markdown(c: &Ceremony) -> Result<String> {
    let k = gather(c)?;
    let mut s = String::new();
    s.push_str(&format!("# TUF key ceremony report: {}\n\n", md(&k.name)));
    s.push_str(&format!(
        "Ceremony {} (folder {}). Report made {} by tuf-ceremony {} (binary SHA-256 `{}`).\n\n{}\n\nThe transcript has {} entries; its hash chain was verified; its last line's SHA-256 is `{}`.\n\n",
        md(&k.name),
        md_code(&display::path(&c.dir)),
        crate::time::format_expires(c.now),
        env!("CARGO_PKG_VERSION"),
        crate::binary::sha256(),
        md(&k.extent),
        k.entries,
        k.last_hash
    ));
    s.push_str("## Transcript head\n\n");
    for l in &k.head {
        s.push_str(&format!("- {}\n", md(l)));
    }
    s.push_str("\n## What is signed\n\n| role | version | expires | thresholds | payload SHA-256 |\n|---|---|---|---|---|\n");
    for st in &k.statuses {
        let th = threshold_lines(st, false);
        s.push_str(&format!(
            "| {} | {} | {} | {} | `{}`<br>{} |\n",
            md(&escape(&st.role)),
            st.version,
            st.expires,
            th.join("<br>"),
            st.payload_sha256,
            words(&st.payload_sha256)
        ));
    }
    s.push_str("\n## Who signed\n\n| role | version | keyholder | key | device | when | how |\n|---|---|---|---|---|---|---|\n");
    for g in &k.signers {
        s.push_str(&format!(
            "| {} | {} | {} | {} ({}) | {} | {} | {} |\n",
            md(&g.role),
            md(&g.version),
            md(&g.keyholder),
            md(&crate::ceremony::short(&g.keyid)),
            md(&g.scheme),
            md(&g.device),
            md(&g.when),
            g.how
        ));
    }
    s.push_str("\n## What this ceremony changed\n\nEach role against the version trusted when this ceremony began.\n\n");
    for (heading, lines) in &k.changes {
        s.push_str(&format!("**{}**\n\n", md(heading)));
        for l in lines {
            s.push_str(&format!("- {}\n", md(l)));
        }
        s.push('\n');
    }
    s.push_str("## Exported files\n\n");
    if k.exports.is_empty() {
        s.push_str(&format!("{}\n\n", md(NOT_EXPORTED)));
    }
    for x in &k.exports {
        s.push_str(&format!(
            "Exported{} to {} at {} (transcript line {}):\n\n| file | SHA-256 |\n|---|---|\n",
            x.rstuf
                .as_ref()
                .map(|r| format!(" as an RSTUF {} payload", md(r)))
                .unwrap_or_default(),
            md_code(&x.out),
            md(&x.when),
            x.seq
        ));
        for (file, digest) in &x.files {
            s.push_str(&format!("| {} | `{}` |\n", md(file), md(digest)));
        }
        s.push('\n');
    }
    if let Some(t) = &k.tree {
        // A code block shows its lines as written; its fence is longer than any run of
        // backticks in them, so no name can end it.
        let lines = tree_text(t);
        let fence = "`".repeat(
            lines
                .iter()
                .map(|l| backtick_run(l))
                .max()
                .unwrap_or(0)
                .max(2)
                + 1,
        );
        s.push_str(&format!("## Trust delegations\n\n{fence}\n"));
        for l in lines {
            s.push_str(&l);
            s.push('\n');
        }
        s.push_str(&format!("{fence}\n\n"));
    }
    for (title, lines) in proof_sections(c, &k)? {
        s.push_str(&format!("## {title}\n\n"));
        for l in lines {
            s.push_str(&format!("- {}\n", md(l.trim_start())));
        }
        s.push('\n');
    }
    s.push_str("## Sign-off\n\n");
    for who in signoff_roles(&k) {
        s.push_str(&format!("{}: name ______________________  signature ______________________  date __________\n\n", md(&who)));
    }
    Ok(display::text(&s).into_owned())
}

/// The report as one self-contained HTML page (inline CSS and SVG; nothing is fetched).
pub fn html(c: &Ceremony) -> Result<String> {
    let k = gather(c)?;
    let mut s = String::new();
    s.push_str(&format!("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>TUF key ceremony report: {}</title>\n<style>\nbody{{font-family:sans-serif;margin:2em;color:#111;max-width:1100px}}\ntable{{border-collapse:collapse;margin:1em 0;width:100%}}\nth,td{{border:1px solid #999;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}}\nth{{background:#eee}}\ncode{{font-size:12px;word-break:break-all}}\n.met{{color:#070}}.notmet{{color:#b00;font-weight:bold}}\n.signoff{{margin-top:2.5em}}.signoff p{{margin:1.6em 0}}.line{{border-bottom:1px solid #000;display:inline-block;width:16em;margin:0 1em 0 .3em}}\n@media print{{body{{margin:0}}.signoff{{break-inside:avoid}}}}\n</style></head><body>\n", esc(&k.name)));
    s.push_str(&format!(
        "<h1>TUF key ceremony report: {}</h1>\n",
        esc(&k.name)
    ));
    s.push_str(&format!(
        "<p>Ceremony <b id=\"ceremony-name\">{}</b> (folder <code>{}</code>). Report made {} by tuf-ceremony {} (binary SHA-256 <code id=\"binary-sha256\">{}</code>).</p><p>{}</p><p>The transcript has {} entries; its hash chain was verified; its last line's SHA-256 is <code id=\"transcript-hash\">{}</code>.</p>\n",
        esc(&k.name),
        esc(&display::path(&c.dir)),
        crate::time::format_expires(c.now),
        env!("CARGO_PKG_VERSION"),
        esc(crate::binary::sha256()),
        esc(&k.extent),
        k.entries,
        k.last_hash
    ));
    s.push_str("<h2>Transcript head</h2><ul id=\"transcript-head\">");
    for l in &k.head {
        s.push_str(&format!("<li>{}</li>", esc(l)));
    }
    s.push_str("</ul>\n");
    s.push_str("<h2>What is signed</h2>\n<table id=\"roles\"><tr><th>role</th><th>version</th><th>expires</th><th>thresholds</th><th>payload SHA-256 and its words</th></tr>\n");
    for st in &k.statuses {
        let th = threshold_lines(st, true);
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code><br>{}</td></tr>\n",
            esc(&escape(&st.role)),
            st.version,
            esc(&st.expires),
            th.join("<br>"),
            st.payload_sha256,
            esc(&words(&st.payload_sha256))
        ));
    }
    s.push_str("</table>\n<h2>Who signed</h2>\n<table id=\"signers\"><tr><th>role</th><th>version</th><th>keyholder</th><th>key</th><th>device</th><th>when (UTC)</th><th>how</th></tr>\n");
    for g in &k.signers {
        s.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code> ({})</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            esc(&g.role), esc(&g.version), esc(&g.keyholder), esc(&crate::ceremony::short(&g.keyid)), esc(&g.scheme), esc(&g.device), esc(&g.when), g.how
        ));
    }
    s.push_str("</table>\n<h2>What this ceremony changed</h2>\n<p>Each role against the version trusted when this ceremony began.</p>\n");
    for (heading, lines) in &k.changes {
        s.push_str(&format!("<h3>{}</h3><ul>", esc(heading)));
        for l in lines {
            s.push_str(&format!("<li>{}</li>", esc(l)));
        }
        s.push_str("</ul>\n");
    }
    s.push_str("<h2>Exported files</h2>\n");
    if k.exports.is_empty() {
        s.push_str(&format!("<p>{}</p>\n", esc(NOT_EXPORTED)));
    }
    for x in &k.exports {
        s.push_str(&format!(
            "<p>Exported{} to <code>{}</code> at {} (transcript line {}):</p>\n<table class=\"exported\"><tr><th>file</th><th>SHA-256</th></tr>\n",
            x.rstuf
                .as_ref()
                .map(|r| format!(" as an RSTUF {} payload", esc(r)))
                .unwrap_or_default(),
            esc(&x.out),
            esc(&x.when),
            x.seq
        ));
        for (file, digest) in &x.files {
            s.push_str(&format!(
                "<tr><td>{}</td><td><code>{}</code></td></tr>\n",
                esc(file),
                esc(digest)
            ));
        }
        s.push_str("</table>\n");
    }
    if let Some(t) = &k.tree {
        s.push_str("<h2>Trust delegations</h2>\n<p>Each box is a role and the keys that must sign it (offline keyholders in yellow, the repository's online key in blue).</p>\n");
        s.push_str(&tree_svg(t));
    }
    for (title, lines) in proof_sections(c, &k)? {
        s.push_str(&format!("<h2>{title}</h2><ul>"));
        for l in lines {
            s.push_str(&format!("<li>{}</li>", esc(l.trim_start())));
        }
        s.push_str("</ul>\n");
    }
    s.push_str("<div class=\"signoff\"><h2>Sign-off</h2>\n");
    for who in signoff_roles(&k) {
        s.push_str(&format!("<p><b>{}</b><br>name<span class=\"line\"></span> signature<span class=\"line\"></span> date<span class=\"line\" style=\"width:8em\"></span></p>\n", esc(&who)));
    }
    s.push_str("</div></body></html>\n");
    Ok(display::text(&s).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_values_cannot_end_their_cell_or_code_span() {
        assert_eq!(
            md("a|b <i>&#x202E; `c` *d* [e](f)"),
            "a\\|b \\<i\\>\\&#x202E; \\`c\\` \\*d\\* \\[e\\](f)"
        );
        assert_eq!(md("recently-claimed v2"), "recently-claimed v2");
        assert_eq!(md_code("/tmp/c"), "`/tmp/c`");
        assert_eq!(md_code("x``y"), "```x``y```");
        assert_eq!(md_code("`x"), "`` `x ``");
    }
}
