using System.Globalization;
using System.Text;

namespace CrossWiki.Server.Pages;

internal static partial class WikitextRenderer
{
    /// <summary>One footnote of the Cite extension: its key (counted over the page), its number in its group, its text and how often it is cited.</summary>
    private sealed class RefNote(int key, int number, string? name)
    {
        public int Key { get; } = key;

        public int Number { get; } = number;

        public string? Name { get; } = name;

        public string? Html { get; set; }

        public int Uses { get; set; }

        // Cite's ids: "cite_note-1" and "cite_ref-1", or for a named note "cite_note-name-1" and "cite_ref-name_1-0", "-1", ...
        public string NoteId => Name is null ? Key.ToString(CultureInfo.InvariantCulture) : Name + "-" + Key.ToString(CultureInfo.InvariantCulture);

        public string RefId(int use) => Name is null
            ? Key.ToString(CultureInfo.InvariantCulture)
            : Name + "_" + Key.ToString(CultureInfo.InvariantCulture) + "-" + use.ToString(CultureInfo.InvariantCulture);
    }

    private sealed class RefGroup
    {
        public List<RefNote> Notes { get; } = [];

        public Dictionary<string, RefNote> ByName { get; } = new(StringComparer.Ordinal);

        public int Count { get; set; }
    }

    private sealed partial class Renderer
    {
        private readonly Dictionary<string, RefGroup> _refGroups = new(StringComparer.Ordinal);
        private readonly List<string> _refGroupOrder = [];
        private int _refKey;
        private bool _inReferences;

        private RefGroup Group(string name)
        {
            if (!_refGroups.TryGetValue(name, out RefGroup? group))
            {
                group = new RefGroup();
                _refGroups.Add(name, group);
                _refGroupOrder.Add(name);
            }

            return group;
        }

        // <ref>: the note is kept for its <references>; in the text, its number linking to it.
        private string Ref(string attributes, string? content)
        {
            string? name = null;
            string groupName = string.Empty;
            foreach ((string key, string value) in Sanitizer.ParseAttributes(attributes))
            {
                if (key == "name" && value.Length > 0)
                {
                    name = value.Replace(' ', '_');
                }
                else if (key == "group")
                {
                    groupName = value;
                }
            }

            string? text = content?.Trim();
            if (string.IsNullOrEmpty(text) && name is null)
            {
                return CiteError("Invalid <code>&lt;ref&gt;</code> tag; refs with no name must have content");
            }

            RefGroup group = Group(groupName);
            RefNote? note = null;
            if (name is not null)
            {
                group.ByName.TryGetValue(name, out note);
            }

            if (note is null)
            {
                note = new RefNote(++_refKey, ++group.Count, name);
                group.Notes.Add(note);
                if (name is not null)
                {
                    group.ByName.Add(name, note);
                }
            }

            if (note.Html is null && !string.IsNullOrEmpty(text))
            {
                note.Html = RenderInline(ExtractProtectedSections(text), allowLinks: true);
            }

            // A note defined inside <references> is not a citation: it has no number in the text.
            if (_inReferences)
            {
                return string.Empty;
            }

            int use = note.Uses++;
            string label = (groupName.Length > 0 ? groupName + " " : "") + note.Number.ToString(CultureInfo.InvariantCulture);
            return "<sup id=\"" + Sanitizer.SafeEncodeAttribute("cite_ref-" + note.RefId(use)) + "\" class=\"reference\"><a href=\"#cite_note-"
                + HtmlEscaper.Attribute(LinkHolders.EncodeFragment(note.NoteId)) + "\">&#91;" + HtmlEscaper.Text(label) + "&#93;</a></sup>";
        }

        // <references />: the notes of its group so far, each with links back to where it is cited; its content may define notes.
        private string References(string attributes, string? content)
        {
            string groupName = string.Empty;
            foreach ((string key, string value) in Sanitizer.ParseAttributes(attributes))
            {
                if (key == "group")
                {
                    groupName = value;
                }
            }

            if (!string.IsNullOrWhiteSpace(content))
            {
                _inReferences = true;
                ExtractProtectedSections(content);
                _inReferences = false;
            }

            return ReferenceList(groupName);
        }

        private string ReferenceList(string groupName)
        {
            if (!_refGroups.TryGetValue(groupName, out RefGroup? group) || group.Notes.Count == 0)
            {
                return string.Empty;
            }

            var sb = new StringBuilder();
            sb.Append(group.Notes.Count > 10 ? "<div class=\"mw-references-wrap mw-references-columns\">" : "<div class=\"mw-references-wrap\">")
                .Append("<ol class=\"references\">\n");
            for (int n = 0; n < group.Notes.Count; n++)
            {
                RefNote note = group.Notes[n];
                if (n > 0)
                {
                    sb.Append('\n');
                }

                sb.Append("<li id=\"").Append(Sanitizer.SafeEncodeAttribute("cite_note-" + note.NoteId)).Append("\"><span class=\"mw-cite-backlink\">");
                if (note.Uses <= 1)
                {
                    sb.Append("<a href=\"#cite_ref-").Append(HtmlEscaper.Attribute(LinkHolders.EncodeFragment(note.RefId(0)))).Append("\">↑</a>");
                }
                else
                {
                    sb.Append('↑');
                    for (int use = 0; use < note.Uses; use++)
                    {
                        // Without cite_references_link_many_format_backlink_labels, Cite numbers the uses "1.0", "1.1", ...
                        string label = note.Number.ToString(CultureInfo.InvariantCulture) + "." + use.ToString(CultureInfo.InvariantCulture);
                        sb.Append(" <sup><a href=\"#cite_ref-").Append(HtmlEscaper.Attribute(LinkHolders.EncodeFragment(note.RefId(use)))).Append("\">")
                            .Append(label).Append("</a></sup>");
                    }
                }

                sb.Append("</span> <span class=\"reference-text\">");
                if (note.Html is null)
                {
                    sb.Append(CiteError("Invalid <code>&lt;ref&gt;</code> tag; no text was provided for refs named <code>" + HtmlEscaper.Text(note.Name ?? "") + "</code>"));
                }
                else
                {
                    sb.Append(note.Html);
                }

                sb.Append("</span>\n</li>");
            }

            sb.Append("\n</ol></div>");
            group.Notes.Clear();
            group.ByName.Clear();
            return sb.ToString();
        }

        // Notes cited but never listed: Cite adds their list at the end of the page.
        private string PendingReferences()
        {
            var sb = new StringBuilder();
            foreach (string group in _refGroupOrder)
            {
                string list = ReferenceList(group);
                if (list.Length > 0)
                {
                    sb.Append('\n').Append(list);
                }
            }

            return sb.ToString();
        }

        private static string CiteError(string message) =>
            "<span class=\"error mw-ext-cite-error\" lang=\"en\" dir=\"ltr\">Cite error: " + message + "</span>";
    }
}
