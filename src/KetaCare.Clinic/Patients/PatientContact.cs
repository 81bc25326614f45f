using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Messaging;

namespace KetaCare.Clinic.Patients;

/// <summary>The patient's answer to being reminded by one channel, with who recorded it and when (UTC).</summary>
/// <param name="Given">True when the patient agreed (opt-in); false when asked and declined or withdrawn.</param>
/// <param name="RecordedAt">When staff recorded this answer (UTC).</param>
/// <param name="RecordedBy">Who recorded it.</param>
public sealed record ReminderConsent(bool Given, DateTimeOffset RecordedAt, UserId RecordedBy);

/// <summary>
/// How the clinic reaches the patient: e-mail address, mobile number (E.164, "+" and digits only), the language of
/// messages, and the patient's consent to reminders by e-mail and by text message. A consent's time and author change
/// only when the answer itself changes, so correcting an address does not look like a fresh consent.
/// </summary>
/// <param name="Email">E-mail address, or null.</param>
/// <param name="MobilePhone">Mobile number in E.164 form ("+905321234567"), or null.</param>
/// <param name="Language">Language of messages: "en" or "tr".</param>
/// <param name="EmailConsent">The answer about e-mail reminders, or null when never asked.</param>
/// <param name="TextConsent">The answer about text-message reminders, or null when never asked.</param>
public sealed record PatientContact(string? Email, string? MobilePhone, string Language, ReminderConsent? EmailConsent, ReminderConsent? TextConsent)
{
    /// <summary>True when reminders may go by e-mail: an address and the patient's consent.</summary>
    public bool CanEmail => Email is not null && EmailConsent is { Given: true };

    /// <summary>True when reminders may go by text message: a mobile number and the patient's consent.</summary>
    public bool CanText => MobilePhone is not null && TextConsent is { Given: true };
}

/// <summary>Contact details as staff enter them; <see cref="PatientContacts.Apply"/> checks them and stamps the consents.</summary>
/// <param name="Email">E-mail address, or blank for none.</param>
/// <param name="MobilePhone">Mobile number, "+" then 8 to 15 digits (spaces and hyphens are dropped), or blank for none.</param>
/// <param name="Language">"en" or "tr".</param>
/// <param name="EmailConsent">True when the patient agrees to e-mail reminders, false when they decline or withdraw; null when not asked (what was recorded stays).</param>
/// <param name="TextConsent">True when the patient agrees to text-message reminders, false when they decline or withdraw; null when not asked (what was recorded stays).</param>
public sealed record ContactInput(string? Email, string? MobilePhone, string Language, bool? EmailConsent, bool? TextConsent);

/// <summary>The checks of a patient's contact details and the making of a <see cref="PatientContact"/> from staff input. Pure; thread-safe.</summary>
public static class PatientContacts
{
    /// <summary>Longest mobile number as typed, spaces and hyphens included.</summary>
    public const int MaxPhoneInputLength = 32;

    /// <summary>
    /// The contact that <paramref name="input"/> makes of <paramref name="previous"/>: addresses trimmed, the number in
    /// E.164, and each consent stamped with <paramref name="by"/> and now only when its answer changed (or was never
    /// recorded). Refused, naming the field, for an e-mail that is not name@domain or longer than 254 characters, a
    /// number that is not "+" and 8 to 15 digits, a language other than en or tr, or a consent without its address.
    /// </summary>
    public static Outcome<PatientContact> Apply(ContactInput input, PatientContact? previous, UserId by, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(clock);
        var email = Blank(input.Email);
        var phone = Blank(input.MobilePhone) is { } typed ? Normalise(typed) : null;
        var check = First(
            ChartInput.Text(input.Email, "email", Contacts.MaxEmailLength),
            ChartInput.Text(input.MobilePhone, "mobilePhone", MaxPhoneInputLength),
            email is not null && !Contacts.IsEmail(email) ? Refused(FindingCodes.ChartContactEmailInvalid, "email") : Outcome.Ok(),
            phone is not null && !IsE164(phone) ? Refused(FindingCodes.ChartContactPhoneInvalid, "mobilePhone") : Outcome.Ok(),
            MessageTemplates.Languages.Contains(input.Language) ? Outcome.Ok() : Refused(FindingCodes.ChartContactLanguageUnknown, "language"),
            input.EmailConsent == true && email is null ? Refused(FindingCodes.ChartContactConsentWithoutAddress, "emailConsent") : Outcome.Ok(),
            input.TextConsent == true && phone is null ? Refused(FindingCodes.ChartContactConsentWithoutAddress, "textConsent") : Outcome.Ok());
        if (!check.IsSuccess)
        {
            return check.Refusal;
        }

        var now = clock.GetUtcNow();
        return Outcome<PatientContact>.Ok(new PatientContact(
            email,
            phone,
            input.Language,
            Stamp(previous?.EmailConsent, input.EmailConsent, email is not null, now, by),
            Stamp(previous?.TextConsent, input.TextConsent, phone is not null, now, by)));
    }

    /// <summary>A stored contact's shape: the same checks as <see cref="Apply"/> on what it holds.</summary>
    public static Outcome Check(PatientContact contact)
    {
        ArgumentNullException.ThrowIfNull(contact);
        return Apply(new ContactInput(contact.Email, contact.MobilePhone, contact.Language, contact.EmailConsent?.Given, contact.TextConsent?.Given), null, default, TimeProvider.System) is { IsSuccess: false } bad
            ? bad.Refusal
            : Outcome.Ok();
    }

    /// <summary>True for "+" then 8 to 15 digits, the first not 0 (ITU-T E.164).</summary>
    public static bool IsE164(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length is >= 9 and <= 16 && value[0] == '+' && value[1] is >= '1' and <= '9' && value.Skip(1).All(char.IsAsciiDigit);
    }

    /// <summary>The number without the spaces and hyphens people type between digit groups.</summary>
    public static string Normalise(string phone)
    {
        ArgumentNullException.ThrowIfNull(phone);
        return string.Concat(phone.Trim().Where(c => c is not (' ' or '-')));
    }

    // An unchanged answer (or none given) keeps who recorded it and when; a changed or first answer is stamped now. A
    // channel without an address and never asked stays unasked (null) rather than recorded as a refusal nobody heard.
    private static ReminderConsent? Stamp(ReminderConsent? previous, bool? answer, bool hasAddress, DateTimeOffset now, UserId by) =>
        answer is not { } given || (previous is not null && previous.Given == given) ? previous
        : previous is null && !given && !hasAddress ? null
        : new ReminderConsent(given, now, by);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static Outcome Refused(string code, string field) => Refusal.Coded(code, FindingArg.Of("field", field));

    private static Outcome First(params Outcome[] checks) => checks.FirstOrDefault(c => !c.IsSuccess);
}
