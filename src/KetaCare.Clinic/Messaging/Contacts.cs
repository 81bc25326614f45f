using KetaCare.Clinic.Findings;

namespace KetaCare.Clinic.Messaging;

/// <summary>The checks of a reminder contact: a plausible e-mail address or an international telephone number.</summary>
public static class Contacts
{
    /// <summary>Longest e-mail address (RFC 5321's path limit).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>A refusal naming the field when <paramref name="recipient"/> cannot be reached on <paramref name="channel"/>; null when it can.</summary>
    public static Refusal? Check(MessageChannel channel, string? recipient)
    {
        var r = recipient?.Trim() ?? string.Empty;
        return channel switch
        {
            MessageChannel.Email when IsEmail(r) => null,
            MessageChannel.Text when IsPhone(r) => null,
            MessageChannel.Email => Refusal.Coded(FindingCodes.ScheduleContactInvalid, FindingArg.Of("field", "email")),
            _ => Refusal.Coded(FindingCodes.ScheduleContactInvalid, FindingArg.Of("field", "phone")),
        };
    }

    /// <summary>Characters of an address or number shown to an administrator; the rest is hidden.</summary>
    public const int ShownCharacters = 3;

    /// <summary>
    /// <paramref name="recipient"/> as an operator may see it: its first <see cref="ShownCharacters"/> characters and an
    /// ellipsis ("ali…", "+90…"), enough to tell messages apart without exposing the patient's address or number.
    /// </summary>
    public static string Mask(string recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return recipient.Length <= ShownCharacters ? "…" : recipient[..ShownCharacters] + "…";
    }

    /// <summary>One "@" with text on both sides, a dot in the domain, no spaces or control characters, at most 254 characters.</summary>
    public static bool IsEmail(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var at = value.IndexOf('@', StringComparison.Ordinal);
        return value.Length <= MaxEmailLength
            && at > 0
            && at == value.LastIndexOf('@')
            && value.IndexOf('.', at) > at + 1
            && !value.EndsWith('.')
            && !value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '<' or '>' or ',' or ';');
    }

    /// <summary>An international number: "+" then 8 to 15 digits (E.164), spaces and hyphens allowed between them.</summary>
    public static bool IsPhone(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.StartsWith('+'))
        {
            return false;
        }

        var rest = value[1..];
        var digits = rest.Count(char.IsAsciiDigit);
        return rest.All(c => char.IsAsciiDigit(c) || c is ' ' or '-') && digits is >= 8 and <= 15;
    }
}
