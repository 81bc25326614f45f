using System.Globalization;
using KetaCare.Clinic.Messaging;
using KetaCare.Interop.Text;

namespace KetaCare.Interop.Messaging;

/// <summary>
/// The outbox's templates in English and Turkish, from <see cref="Strings"/>. The texts name the clinic, the date and
/// the time and nothing about the patient's health: a reminder may be read by someone else. Thread-safe.
/// </summary>
/// <param name="publicBaseUrl">The web app's address as patients reach it (for the portal link); null leaves the link as a path.</param>
public sealed class MessageTexts(Uri? publicBaseUrl = null) : IMessageRenderer
{
    /// <inheritdoc/>
    public RenderedMessage Render(string template, string language, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var culture = CultureInfo.GetCultureInfo(language == "tr" ? "tr-TR" : "en");
        var t = Strings.For(culture);
        var date = DateOnly.TryParseExact(Get(parameters, "date"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? TextFormat.Date(d, culture) : Get(parameters, "date");
        var time = Get(parameters, "time");
        var clinic = Get(parameters, "clinic");
        var phone = Get(parameters, "phone");
        var lines = new List<string> { t["Hello,"], string.Empty };
        string subject;
        switch (template)
        {
            case MessageTemplates.AppointmentReminder:
                subject = t["Reminder: infusion appointment on {0} at {1}", date, time];
                lines.Add(t["This is a reminder of your ketamine infusion appointment at {0} on {1} at {2}.", clinic, date, time]);
                if (Get(parameters, "chair") is { Length: > 0 } chair)
                {
                    lines.Add(t["Your place: {0}.", chair]);
                }

                lines.Add(string.Empty);
                lines.Add(t["Please come fasting as you were instructed, and bring the adult who will take you home: do not drive for the rest of the day."]);
                break;
            case MessageTemplates.ChecklistReminder:
                subject = t["Please answer the pre-visit checklist before {0}", date];
                lines.Add(t["Before your appointment at {0} on {1} at {2}, please answer the pre-visit checklist in the patient portal:", clinic, date, time]);
                lines.Add(Link(Get(parameters, "link")));
                break;
            case MessageTemplates.PortalInvitation:
                subject = t["Your invitation to the patient portal"];
                lines.Add(t["You are invited to the clinic's patient portal. Open this link to choose your password; it works once, until {0} at {1} UTC:", date, time]);
                lines.Add(Link(Get(parameters, "link")));
                lines.Add(string.Empty);
                lines.Add(t["Your sign-in name is {0}. If you did not expect this message, please ignore it.", Get(parameters, "user")]);
                break;
            default:
                throw new KeyNotFoundException($"template: \"{template}\" is not a message template.");
        }

        if (phone.Length > 0)
        {
            lines.Add(string.Empty);
            lines.Add(t["If you cannot come, please call us on {0}.", phone]);
        }

        lines.Add(string.Empty);
        lines.Add(t["This message was sent automatically; please do not reply."]);
        return new RenderedMessage(subject, string.Join("\n", lines));
    }

    private string Link(string path) => publicBaseUrl is null ? path : new Uri(publicBaseUrl, path).ToString();

    private static string Get(IReadOnlyDictionary<string, string> parameters, string name) => parameters.TryGetValue(name, out var v) ? v : string.Empty;
}
