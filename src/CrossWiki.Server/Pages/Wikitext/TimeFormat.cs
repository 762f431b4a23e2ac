using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CrossWiki.Server.Pages.Wikitext;

/// <summary>
/// <c>#time</c>'s formats (MediaWiki's <c>Language::sprintfDate</c>, PHP's <c>date()</c> codes plus <c>xg</c>, <c>xn</c>,
/// <c>xr</c>, <c>xx</c>, quoting with <c>"..."</c> and <c>\</c>) in English, and the date strings it reads (a subset of
/// PHP's date parser: ISO dates and times, "4 December 2026", "December 4, 2026", <c>@unix</c>, now/today/tomorrow/yesterday,
/// relative "+1 day" parts).
/// </summary>
internal static partial class TimeFormat
{
    private static readonly string[] Months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    private static readonly HijriCalendar Hijri = new();

    public static string Format(string format, DateTimeOffset time)
    {
        ArgumentNullException.ThrowIfNull(format);
        var t = time.ToUniversalTime();
        var sb = new StringBuilder();
        var roman = false;
        for (var p = 0; p < format.Length; p++)
        {
            var c = format[p];
            string? number = null;
            if (c == 'x' && p + 1 < format.Length)
            {
                var code = format[p + 1];
                switch (code)
                {
                    case 'x':
                        sb.Append('x');
                        p++;
                        continue;
                    case 'g':
                        sb.Append(Months[t.Month - 1]);
                        p++;
                        continue;
                    case 'n':
                    case 'N':
                        p++;
                        continue;
                    case 'r':
                        roman = true;
                        p++;
                        continue;
                    case 'm' when p + 2 < format.Length && format[p + 2] is 'j' or 'n' or 'Y' && t.UtcDateTime >= Hijri.MinSupportedDateTime:
                    {
                        // Hijri (tabular Islamic calendar) day, month and year.
                        var part = format[p + 2] switch
                        {
                            'j' => Hijri.GetDayOfMonth(t.UtcDateTime),
                            'n' => Hijri.GetMonth(t.UtcDateTime),
                            _ => Hijri.GetYear(t.UtcDateTime),
                        };
                        sb.Append(part.ToString(CultureInfo.InvariantCulture));
                        p += 2;
                        continue;
                    }
                }
            }

            switch (c)
            {
                case 'd': number = t.Day.ToString("00", CultureInfo.InvariantCulture); break;
                case 'D': sb.Append(Days[(int)t.DayOfWeek][..3]); break;
                case 'j': number = t.Day.ToString(CultureInfo.InvariantCulture); break;
                case 'l': sb.Append(Days[(int)t.DayOfWeek]); break;
                case 'N': number = (t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek).ToString(CultureInfo.InvariantCulture); break;
                case 'w': number = ((int)t.DayOfWeek).ToString(CultureInfo.InvariantCulture); break;
                case 'z': number = (t.DayOfYear - 1).ToString(CultureInfo.InvariantCulture); break;
                case 'W': number = ISOWeek.GetWeekOfYear(t.DateTime).ToString("00", CultureInfo.InvariantCulture); break;
                case 'F': sb.Append(Months[t.Month - 1]); break;
                case 'm': number = t.Month.ToString("00", CultureInfo.InvariantCulture); break;
                case 'M': sb.Append(Months[t.Month - 1][..3]); break;
                case 'n': number = t.Month.ToString(CultureInfo.InvariantCulture); break;
                case 't': number = DateTime.DaysInMonth(t.Year, t.Month).ToString(CultureInfo.InvariantCulture); break;
                case 'L': number = DateTime.IsLeapYear(t.Year) ? "1" : "0"; break;
                case 'o': number = ISOWeek.GetYear(t.DateTime).ToString(CultureInfo.InvariantCulture); break;
                case 'Y': number = t.Year.ToString(CultureInfo.InvariantCulture); break;
                case 'y': number = (t.Year % 100).ToString("00", CultureInfo.InvariantCulture); break;
                case 'a': sb.Append(t.Hour < 12 ? "am" : "pm"); break;
                case 'A': sb.Append(t.Hour < 12 ? "AM" : "PM"); break;
                case 'g': number = (t.Hour % 12 == 0 ? 12 : t.Hour % 12).ToString(CultureInfo.InvariantCulture); break;
                case 'G': number = t.Hour.ToString(CultureInfo.InvariantCulture); break;
                case 'h': number = (t.Hour % 12 == 0 ? 12 : t.Hour % 12).ToString("00", CultureInfo.InvariantCulture); break;
                case 'H': number = t.Hour.ToString("00", CultureInfo.InvariantCulture); break;
                case 'i': number = t.Minute.ToString("00", CultureInfo.InvariantCulture); break;
                case 's': number = t.Second.ToString("00", CultureInfo.InvariantCulture); break;
                case 'U': number = t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture); break;
                case 'e': sb.Append("UTC"); break;
                case 'T': sb.Append("UTC"); break;
                case 'I': number = "0"; break;
                case 'O': sb.Append("+0000"); break;
                case 'P': sb.Append("+00:00"); break;
                case 'Z': number = "0"; break;
                case 'c': sb.Append(t.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", CultureInfo.InvariantCulture)).Append("+00:00"); break;
                case 'r': sb.Append(Days[(int)t.DayOfWeek][..3]).Append(", ").Append(t.ToString("dd", CultureInfo.InvariantCulture)).Append(' ')
                        .Append(Months[t.Month - 1][..3]).Append(t.ToString(" yyyy HH':'mm':'ss", CultureInfo.InvariantCulture)).Append(" +0000"); break;
                case '\\':
                    if (p < format.Length - 1)
                    {
                        sb.Append(format[++p]);
                    }
                    else
                    {
                        sb.Append('\\');
                    }

                    break;
                case '"':
                    var end = p < format.Length - 1 ? format.IndexOf('"', p + 1) : -1;
                    if (end < 0)
                    {
                        sb.Append('"');
                    }
                    else
                    {
                        sb.Append(format, p + 1, end - p - 1);
                        p = end;
                    }

                    break;
                default:
                    sb.Append(c);
                    break;
            }

            if (number is not null)
            {
                if (roman && int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    sb.Append(Roman(n));
                    roman = false;
                }
                else
                {
                    sb.Append(number);
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>Language::romanNumeral (up to 10000).</summary>
    public static string Roman(int n)
    {
        if (n <= 0 || n > 10000)
        {
            return n.ToString(CultureInfo.InvariantCulture);
        }

        string[][] table =
        [
            ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"],
            ["", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC", "C"],
            ["", "C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM", "M"],
            ["", "M", "MM", "MMM", "MMMM", "MMMMM", "MMMMMM", "MMMMMMM", "MMMMMMMM", "MMMMMMMMM", "MMMMMMMMMM"],
        ];
        var s = new StringBuilder();
        for (int pow10 = 1000, i = 3; i >= 0; pow10 /= 10, i--)
        {
            if (n >= pow10)
            {
                s.Append(table[i][n / pow10]);
            }

            n %= pow10;
        }

        return s.ToString();
    }

    [GeneratedRegex(@"^\s*([+-]?\d+)\s*(sec|second|min|minute|hour|day|week|fortnight|month|year)s?\b\s*(ago\b)?", RegexOptions.IgnoreCase)]
    private static partial Regex Relative();

    [GeneratedRegex(@"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?", RegexOptions.IgnoreCase)]
    private static partial Regex Iso();

    [GeneratedRegex(@"^(\d{1,2}) ([A-Za-z]+)\.?,? (\d{1,4})|^([A-Za-z]+)\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{1,4})|^([A-Za-z]+) (\d{4})", RegexOptions.IgnoreCase)]
    private static partial Regex Written();

    [GeneratedRegex(@"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm)?", RegexOptions.IgnoreCase)]
    private static partial Regex ClockTime();

    /// <summary>Reads a date string as PHP's DateTime would (for the forms listed on the class); null when it cannot.</summary>
    public static DateTimeOffset? Parse(string text, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim();
        now = now.ToUniversalTime();
        if (s.Length == 0 || s.Equals("now", StringComparison.OrdinalIgnoreCase))
        {
            return now;
        }

        if (s[0] == '@')
        {
            return long.TryParse(s.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var unix) && unix is > -62135596800 and < 253402300800
                ? DateTimeOffset.FromUnixTimeSeconds(unix)
                : null;
        }

        // Eight digits are a date without separators (YYYYMMDD), fourteen a MySQL timestamp (YYYYMMDDhhmmss).
        if (s.Length is 8 or 14 && s.All(char.IsAsciiDigit))
        {
            return DateTimeOffset.TryParseExact(s, s.Length == 8 ? "yyyyMMdd" : "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var compact)
                ? compact.ToUniversalTime()
                : null;
        }

        DateTimeOffset? at = null;
        var rest = s;
        if (Iso().Match(s) is { Success: true } iso)
        {
            var year = int.Parse(iso.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            var month = int.Parse(iso.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
            var day = int.Parse(iso.Groups[3].ValueSpan, CultureInfo.InvariantCulture);
            if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || year < 1)
            {
                return null;
            }

            var hour = iso.Groups[4].Success ? int.Parse(iso.Groups[4].ValueSpan, CultureInfo.InvariantCulture) : 0;
            var minute = iso.Groups[5].Success ? int.Parse(iso.Groups[5].ValueSpan, CultureInfo.InvariantCulture) : 0;
            var second = iso.Groups[6].Success ? int.Parse(iso.Groups[6].ValueSpan, CultureInfo.InvariantCulture) : 0;
            if (hour > 23 || minute > 59 || second > 59)
            {
                return null;
            }

            var offset = TimeSpan.Zero;
            if (iso.Groups[7].Success && iso.Groups[7].Value[0] is '+' or '-')
            {
                var z = iso.Groups[7].Value.Replace(":", "", StringComparison.Ordinal);
                offset = new TimeSpan(int.Parse(z.AsSpan(1, 2), CultureInfo.InvariantCulture), int.Parse(z.AsSpan(3, 2), CultureInfo.InvariantCulture), 0);
                if (z[0] == '-')
                {
                    offset = -offset;
                }
            }

            at = new DateTimeOffset(year, month, day, hour, minute, second, offset).ToUniversalTime();
            rest = s[iso.Length..];
        }
        else if (Written().Match(s) is { Success: true } written)
        {
            string monthName;
            int day;
            int year;
            if (written.Groups[1].Success)
            {
                (day, monthName, year) = (int.Parse(written.Groups[1].ValueSpan, CultureInfo.InvariantCulture), written.Groups[2].Value, int.Parse(written.Groups[3].ValueSpan, CultureInfo.InvariantCulture));
            }
            else if (written.Groups[4].Success)
            {
                (monthName, day, year) = (written.Groups[4].Value, int.Parse(written.Groups[5].ValueSpan, CultureInfo.InvariantCulture), int.Parse(written.Groups[6].ValueSpan, CultureInfo.InvariantCulture));
            }
            else
            {
                (monthName, day, year) = (written.Groups[7].Value, 1, int.Parse(written.Groups[8].ValueSpan, CultureInfo.InvariantCulture));
            }

            var month = MonthNumber(monthName);
            if (month == 0 || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month))
            {
                return null;
            }

            at = new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero);
            rest = s[written.Length..];
        }
        else if (s.Length == 4 && s.All(char.IsAsciiDigit))
        {
            // PHP reads four digits alone as a time of day (HHMM), not a year.
            var hour = int.Parse(s.AsSpan(0, 2), CultureInfo.InvariantCulture);
            var minute = int.Parse(s.AsSpan(2, 2), CultureInfo.InvariantCulture);
            return hour < 24 && minute < 60 ? new DateTimeOffset(now.Year, now.Month, now.Day, hour, minute, 0, TimeSpan.Zero) : null;
        }
        else
        {
            foreach (var (word, days) in (ReadOnlySpan<(string, int)>)[("today", 0), ("midnight", 0), ("tomorrow", 1), ("yesterday", -1)])
            {
                if (s.StartsWith(word, StringComparison.OrdinalIgnoreCase))
                {
                    at = new DateTimeOffset(now.Date, TimeSpan.Zero).AddDays(days);
                    rest = s[word.Length..];
                    break;
                }
            }

            if (at is null && s.StartsWith("now", StringComparison.OrdinalIgnoreCase))
            {
                at = now;
                rest = s[3..];
            }
        }

        rest = rest.TrimStart();
        if (at is { } date && ClockTime().Match(rest) is { Success: true } clock)
        {
            var hour = int.Parse(clock.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            var minute = int.Parse(clock.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
            var second = clock.Groups[3].Success ? int.Parse(clock.Groups[3].ValueSpan, CultureInfo.InvariantCulture) : 0;
            if (clock.Groups[4].Success)
            {
                hour = hour % 12 + (clock.Groups[4].Value.Equals("pm", StringComparison.OrdinalIgnoreCase) ? 12 : 0);
            }

            if (hour > 23 || minute > 59 || second > 59)
            {
                return null;
            }

            at = new DateTimeOffset(date.Year, date.Month, date.Day, hour, minute, second, TimeSpan.Zero);
            rest = rest[clock.Length..].TrimStart();
            if (rest.StartsWith("UTC", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("GMT", StringComparison.OrdinalIgnoreCase))
            {
                rest = rest[3..];
            }
        }

        var value = at ?? now;
        var any = at is not null;
        while (rest.Trim().Length > 0)
        {
            var m = Relative().Match(rest);
            if (!m.Success)
            {
                return any ? ParseFallback(s) : ParseFallback(s);
            }

            if (!long.TryParse(m.Groups[1].ValueSpan, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || Math.Abs(n) > 100000)
            {
                return null;
            }

            if (m.Groups[3].Success)
            {
                n = -n;
            }

            try
            {
                value = m.Groups[2].Value.ToLowerInvariant() switch
                {
                    "sec" or "second" => value.AddSeconds(n),
                    "min" or "minute" => value.AddMinutes(n),
                    "hour" => value.AddHours(n),
                    "day" => value.AddDays(n),
                    "week" => value.AddDays(7 * n),
                    "fortnight" => value.AddDays(14 * n),
                    "month" => AddMonthsPhp(value, n),
                    _ => AddMonthsPhp(value, 12 * n),
                };
            }
            catch (ArgumentOutOfRangeException)
            {
                return null;
            }

            any = true;
            rest = rest[m.Length..];
        }

        return any ? value : null;
    }

    /// <summary>PHP's month arithmetic: the day is kept and overflows into the next month (31 January + 1 month is 2 or 3 March).</summary>
    private static DateTimeOffset AddMonthsPhp(DateTimeOffset value, long months)
    {
        var total = (value.Year * 12L) + value.Month - 1 + months;
        var year = (int)(total / 12);
        var month = (int)(total % 12) + 1;
        var first = new DateTimeOffset(year, month, 1, value.Hour, value.Minute, value.Second, TimeSpan.Zero);
        return first.AddDays(value.Day - 1);
    }

    private static DateTimeOffset? ParseFallback(string s) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var parsed)
            ? parsed.ToUniversalTime()
            : null;

    private static int MonthNumber(string name)
    {
        for (var i = 0; i < Months.Length; i++)
        {
            if (name.Equals(Months[i], StringComparison.OrdinalIgnoreCase) || (name.Length == 3 && name.Equals(Months[i][..3], StringComparison.OrdinalIgnoreCase))
                || (name.Equals("Sept", StringComparison.OrdinalIgnoreCase) && i == 8))
            {
                return i + 1;
            }
        }

        return 0;
    }
}
