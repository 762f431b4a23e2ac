using System.Text;

namespace CrossWiki.Server.Pages;

internal static partial class WikitextRenderer
{
    private sealed partial class Renderer
    {
        private static void TrimTrailingWhitespace(StringBuilder sb, int floor)
        {
            int end = sb.Length;
            while (end > floor && sb[end - 1] is ' ' or '\t' or '\n' or '\r' or '\0' or '\v')
            {
                end--;
            }

            sb.Length = end;
        }

        // MediaWiki's doQuotes: apostrophe runs toggle <i> (2), <b> (3) or both (5); an odd count of both kinds
        // turns one bold run into an apostrophe plus italics, preferring one after a single-letter word.
        private static string ApplyQuotes(List<Piece> input)
        {
            var _output = new StringBuilder();
            ApplyQuotes(input, _output);
            return _output.ToString();
        }

        // Appends to _output (the page being written), so a paragraph's HTML goes straight into the page's.
        private static void ApplyQuotes(List<Piece> input, StringBuilder _output)
        {
            List<Piece> pieces = SplitQuotes(input, out int italics, out int bolds);
            if (italics % 2 == 1 && bolds % 2 == 1)
            {
                DemoteOneBold(pieces);
            }

            var buffer = new StringBuilder();
            int lineStart = _output.Length;
            QuoteState state = QuoteState.None;
            foreach (Piece piece in pieces)
            {
                StringBuilder target = state == QuoteState.Both ? buffer : _output;
                switch (piece.Kind)
                {
                    case PieceKind.Text:
                        Sanitizer.AppendText(target, piece.Value, frenchSpaces: true);
                        break;
                    case PieceKind.Category:
                        // A category link takes the whitespace before it (on this line) with it; its trail stays.
                        TrimTrailingWhitespace(target, target == _output ? lineStart : 0);
                        Sanitizer.AppendText(target, piece.Value, frenchSpaces: true);
                        break;
                    case PieceKind.Html:
                        target.Append(piece.Value);
                        break;
                    case PieceKind.Link:
                        // The holder has the shape of a tag, so heading anchors drop it as they drop <a>.
                        target.Append('<').Append(Marker).Append(piece.Holder).Append(Marker).Append('>')
                            .Append(piece.Value).Append("</a>");
                        break;
                    case PieceKind.Image:
                        target.Append('<').Append(Marker).Append(piece.Holder).Append(Marker).Append('>').Append(piece.Value);
                        break;
                    default:
                        state = ApplyQuoteRun(piece.Value.Length, state, _output, buffer);
                        break;
                }
            }

            if (state is QuoteState.Bold or QuoteState.ItalicBold)
            {
                _output.Append("</b>");
            }

            if (state is QuoteState.Italic or QuoteState.BoldItalic or QuoteState.ItalicBold)
            {
                _output.Append("</i>");
            }

            if (state == QuoteState.BoldItalic)
            {
                _output.Append("</b>");
            }

            if (state == QuoteState.Both && buffer.Length > 0)
            {
                _output.Append("<b><i>").Append(buffer).Append("</i></b>");
            }
        }

        private static QuoteState ApplyQuoteRun(int length, QuoteState state, StringBuilder _output, StringBuilder buffer)
        {
            switch (length)
            {
                case 2:
                    switch (state)
                    {
                        case QuoteState.Italic:
                            _output.Append("</i>");
                            return QuoteState.None;
                        case QuoteState.BoldItalic:
                            _output.Append("</i>");
                            return QuoteState.Bold;
                        case QuoteState.ItalicBold:
                            _output.Append("</b></i><b>");
                            return QuoteState.Bold;
                        case QuoteState.Both:
                            _output.Append("<b><i>").Append(buffer).Append("</i>");
                            return QuoteState.Bold;
                        default:
                            _output.Append("<i>");
                            return state == QuoteState.Bold ? QuoteState.BoldItalic : QuoteState.Italic;
                    }

                case 3:
                    switch (state)
                    {
                        case QuoteState.Bold:
                            _output.Append("</b>");
                            return QuoteState.None;
                        case QuoteState.BoldItalic:
                            _output.Append("</i></b><i>");
                            return QuoteState.Italic;
                        case QuoteState.ItalicBold:
                            _output.Append("</b>");
                            return QuoteState.Italic;
                        case QuoteState.Both:
                            _output.Append("<i><b>").Append(buffer).Append("</b>");
                            return QuoteState.Italic;
                        default:
                            _output.Append("<b>");
                            return state == QuoteState.Italic ? QuoteState.ItalicBold : QuoteState.Bold;
                    }

                default:
                    switch (state)
                    {
                        case QuoteState.Bold:
                            _output.Append("</b><i>");
                            return QuoteState.Italic;
                        case QuoteState.Italic:
                            _output.Append("</i><b>");
                            return QuoteState.Bold;
                        case QuoteState.BoldItalic:
                            _output.Append("</i></b>");
                            return QuoteState.None;
                        case QuoteState.ItalicBold:
                            _output.Append("</b></i>");
                            return QuoteState.None;
                        case QuoteState.Both:
                            _output.Append("<i><b>").Append(buffer).Append("</b></i>");
                            return QuoteState.None;
                        default:
                            buffer.Clear();
                            return QuoteState.Both;
                    }
            }
        }

        private static List<Piece> SplitQuotes(List<Piece> input, out int italics, out int bolds)
        {
            italics = 0;
            bolds = 0;
            var result = new List<Piece>(input.Count);
            foreach (Piece piece in input)
            {
                if (piece.Kind != PieceKind.Text)
                {
                    result.Add(piece);
                    continue;
                }

                string s = piece.Value;
                int textStart = 0;
                int i = 0;
                while (i < s.Length)
                {
                    if (s[i] != '\'')
                    {
                        i++;
                        continue;
                    }

                    int runEnd = i;
                    while (runEnd < s.Length && s[runEnd] == '\'')
                    {
                        runEnd++;
                    }

                    int run = runEnd - i;
                    if (run < 2)
                    {
                        i = runEnd;
                        continue;
                    }

                    // Four apostrophes are an apostrophe plus bold; more than five keep the extras as text.
                    int literal = run == 4 ? 1 : run > 5 ? run - 5 : 0;
                    int quote = run - literal;
                    int textEnd = i + literal;
                    if (textEnd > textStart)
                    {
                        result.Add(Piece.Text(s[textStart..textEnd]));
                    }

                    result.Add(new Piece(PieceKind.Quote, new string('\'', quote)));
                    if (quote == 2)
                    {
                        italics++;
                    }
                    else if (quote == 3)
                    {
                        bolds++;
                    }
                    else
                    {
                        italics++;
                        bolds++;
                    }

                    textStart = runEnd;
                    i = runEnd;
                }

                if (textStart < s.Length)
                {
                    result.Add(Piece.Text(s[textStart..]));
                }
            }

            return result;
        }

        private static void DemoteOneBold(List<Piece> pieces)
        {
            int singleLetter = -1;
            int multiLetter = -1;
            int space = -1;
            var before = new StringBuilder();
            for (int i = 0; i < pieces.Count; i++)
            {
                Piece piece = pieces[i];
                if (piece.Kind != PieceKind.Quote)
                {
                    before.Append(piece.Kind is PieceKind.Html or PieceKind.Link ? "x" : piece.Value);
                    continue;
                }

                if (piece.Value.Length == 3)
                {
                    char x1 = before.Length >= 1 ? before[^1] : '\0';
                    char x2 = before.Length >= 2 ? before[^2] : before.Length == 1 ? before[0] : '\0';
                    if (x1 == ' ')
                    {
                        if (space < 0)
                        {
                            space = i;
                        }
                    }
                    else if (x2 == ' ')
                    {
                        singleLetter = i;
                        break;
                    }
                    else if (multiLetter < 0)
                    {
                        multiLetter = i;
                    }
                }

                before.Clear();
            }

            int chosen = singleLetter >= 0 ? singleLetter : multiLetter >= 0 ? multiLetter : space;
            if (chosen >= 0)
            {
                pieces[chosen] = new Piece(PieceKind.Quote, "''");
                pieces.Insert(chosen, Piece.Text("'"));
            }
        }
    }
}
