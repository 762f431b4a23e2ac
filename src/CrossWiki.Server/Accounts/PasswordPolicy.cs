using System.Globalization;

namespace CrossWiki.Server.Accounts;

/// <summary>
/// MediaWiki 1.39's default <c>$wgPasswordPolicy</c> for a password being set: at least 8 characters (10 for
/// sysops, bureaucrats and bots), at most 4,096, not part of the user name, not one of MediaWiki's old default
/// logins or its documentation's example, not a very common password. The checks run in that order and the
/// first that fails is the answer, with MediaWiki's message key and English text.
/// </summary>
internal static class PasswordPolicy
{
    private const int MaxLength = 4096;

    private static readonly string[] PrivilegedGroups = ["bureaucrat", "sysop", "bot"];

    /// <summary>The user names whose old default password may not be used again (PasswordCannotMatchDefaults).</summary>
    private static readonly Dictionary<string, string> BlockedLogins = new(StringComparer.Ordinal)
    {
        ["Useruser"] = "Passpass",
        ["Useruser1"] = "Passpass1",
        ["Apitestsysop"] = "testpass",
        ["Apitestuser"] = "testpass",
    };

    /// <summary>
    /// The commonest passwords of public breach lists that pass the length rule. MediaWiki checks a list of
    /// 100,000 (wikimedia/common-passwords); this short list catches the ones people try first.
    /// </summary>
    private static readonly HashSet<string> Common = new(StringComparer.Ordinal)
    {
        "password", "12345678", "123456789", "1234567890", "qwertyuiop", "11111111", "87654321", "00000000",
        "password1", "password123", "passw0rd", "Password", "Password1", "iloveyou", "iloveyou1", "sunshine",
        "princess", "football", "baseball", "superman", "trustno1", "1qaz2wsx", "qwerty123", "qwertyui",
        "asdfghjkl", "zxcvbnm1", "abcd1234", "abc12345", "welcome1", "welcome123", "letmein1", "starwars",
        "whatever", "computer", "michelle", "jennifer", "1q2w3e4r", "1q2w3e4r5t", "q1w2e3r4", "987654321",
        "123123123", "123321123", "qazwsxedc", "zaq12wsx", "1234qwer", "admin123", "changeme", "internet",
        "football1", "basketball", "chocolate", "butterfly", "liverpool", "jordan23", "michael1", "charlie1",
        "shadow12", "master12", "monkey12", "dragon12", "11223344", "12341234", "12121212", "qwerty12",
        "samsung1", "babygirl", "lovelove", "princess1", "sunshine1", "aaaaaaaa", "88888888", "66666666",
    };

    /// <summary>Null when the password may be set for a user with these explicit groups; otherwise MediaWiki's refusal.</summary>
    public static (string Code, string Message)? Check(string userName, string password, IReadOnlyList<string> groups)
    {
        var min = groups.Any(PrivilegedGroups.Contains) ? 10 : 8;
        if (password.Length < min)
        {
            return ("passwordtooshort", $"Passwords must be at least {min} characters.");
        }

        if (userName.Contains(password, StringComparison.OrdinalIgnoreCase))
        {
            return ("password-substring-username-match", "Your password must not appear within your username.");
        }

        if ((BlockedLogins.TryGetValue(userName, out var blocked) && blocked == password) || password == "ExamplePassword")
        {
            return ("password-login-forbidden", "The use of this username and password has been forbidden.");
        }

        if (password.Length > MaxLength)
        {
            return ("passwordtoolong", $"Passwords cannot be longer than {MaxLength.ToString("N0", CultureInfo.InvariantCulture)} characters.");
        }

        return Common.Contains(password)
            ? ("passwordincommonlist", "The password entered is in a list of very commonly used passwords. Please choose a more unique password.")
            : null;
    }
}
