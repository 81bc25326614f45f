using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Identity;

namespace KetaCare.Clinic.Users;

/// <summary>
/// The password checks of NIST SP 800-63B §5.1.1.2 beyond length: no composition rules, but a password is refused when
/// it is on the list of common passwords shipped with the app (<c>common-passwords.txt</c>, also with digits or
/// punctuation added at either end), uses fewer than <see cref="MinDistinctCharacters"/> different characters
/// (<c>aaaaaaaaaa</c>), is a run of consecutive characters (<c>1234567890</c>, <c>abcdefghij</c>), contains the user
/// name, or is longer than <see cref="MaxPasswordLength"/>. Stateless and thread-safe.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<ClinicUser>
{
    /// <summary>Longest password accepted: NIST asks for at least 64; the bound keeps one hash from costing seconds.</summary>
    public const int MaxPasswordLength = 256;

    /// <summary>Fewest different characters in a password.</summary>
    public const int MinDistinctCharacters = 4;

    private static readonly FrozenSet<string> Common = Load();

    /// <summary>How many passwords the shipped list holds (for the documentation and tests).</summary>
    public static int ListSize => Common.Count;

    /// <inheritdoc/>
    public Task<IdentityResult> ValidateAsync(UserManager<ClinicUser> manager, ClinicUser user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        var why = Weakness(password, user.UserName);
        return Task.FromResult(why is null
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityError { Code = "PasswordCommon", Description = why }));
    }

    /// <summary>Why <paramref name="password"/> is refused (a sentence naming the rule), or null when it passes these checks.</summary>
    public static string? Weakness(string? password, string? userName)
    {
        if (string.IsNullOrEmpty(password))
        {
            return null; // the length rule names an empty password
        }

        if (password.Length > MaxPasswordLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Passwords must be at most {MaxPasswordLength} characters.");
        }

        var n = Normalise(password);
        var core = n.Trim(TrimmedAtEnds);
        if (Common.Contains(n) || (core.Length >= MinDistinctCharacters && Common.Contains(core)))
        {
            return "This password is on the list of common passwords; choose a longer phrase of your own.";
        }

        if (n.EnumerateRunes().Distinct().Count() < MinDistinctCharacters)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Passwords must use at least {MinDistinctCharacters} different characters.");
        }

        if (IsRun(n))
        {
            return "Passwords must not be a run of consecutive characters such as 1234567890 or abcdefghij.";
        }

        var name = string.IsNullOrWhiteSpace(userName) ? null : Normalise(userName);
        return name is { Length: >= 3 } && n.Contains(name, StringComparison.Ordinal)
            ? "Passwords must not contain the user name."
            : null;
    }

    /// <summary>
    /// The form compared with the list: compatibility-normalised (NFKC), lower case by invariant rules with the Turkish
    /// dotted and dotless i folded to i (ŞİFRE and şifre are one password), single spaces.
    /// </summary>
    private static string Normalise(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant()
            .Replace("i\u0307", "i", StringComparison.Ordinal).Replace('\u0130', 'i').Replace('\u0131', 'i');
        return string.Join(' ', folded.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static readonly char[] TrimmedAtEnds = [.. "0123456789 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"];

    private static bool IsRun(string s)
    {
        if (s.Length < 3)
        {
            return false;
        }

        var step = s[1] - s[0];
        if (Math.Abs(step) != 1)
        {
            return false;
        }

        for (var i = 2; i < s.Length; i++)
        {
            if (s[i] - s[i - 1] != step)
            {
                return false;
            }
        }

        return true;
    }

    private static FrozenSet<string> Load()
    {
        using var stream = typeof(CommonPasswordValidator).Assembly.GetManifestResourceStream("KetaCare.Clinic.Users.common-passwords.txt")
            ?? throw new InvalidOperationException("the common-password list is not embedded in KetaCare.Clinic.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var all = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                all.Add(Normalise(line));
            }
        }

        return all.ToFrozenSet(StringComparer.Ordinal);
    }
}
