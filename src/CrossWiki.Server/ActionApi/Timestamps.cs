using System.Globalization;

namespace CrossWiki.Server.ActionApi;

/// <summary>MediaWiki's timestamp forms: ISO 8601 <c>2026-11-26T21:50:37Z</c> and 14-digit <c>20261126215037</c>.</summary>
internal static class Timestamps
{
    public static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Mw(DateTime utc) => utc.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

    /// <summary>Parses the forms clients send: ISO 8601 (with or without Z/fraction), 14 digits, or <c>now</c>.</summary>
    public static bool TryParse(string value, DateTime now, out DateTime utc)
    {
        if (value == "now")
        {
            utc = now;
            return true;
        }

        if (value.Length == 14 && value.All(char.IsAsciiDigit)
            && DateTime.TryParseExact(value, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc))
        {
            return true;
        }

        if (DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out utc)
            && value.Length >= 10 && char.IsAsciiDigit(value[0]))
        {
            utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
            return true;
        }

        utc = default;
        return false;
    }
}
