using KetaCare.Clinic.Messaging;
using KetaCare.Interop.Messaging;

namespace KetaCare.Interop.Tests.Messaging;

/// <summary>The message templates in both languages: dates in the language's form, the portal link made absolute, no health details.</summary>
public sealed class MessageTextsTests
{
    private static readonly Dictionary<string, string> Parameters = new(StringComparer.Ordinal)
    {
        ["date"] = "2026-06-08",
        ["time"] = "09:00",
        ["clinic"] = "KetaCare Demo",
        ["phone"] = "+90 212 000 00 00",
        ["link"] = "/Portal",
    };

    [Theory]
    [InlineData("en", "Reminder: infusion appointment on 2026-06-08 at 09:00", "ketamine infusion appointment at KetaCare Demo on 2026-06-08 at 09:00")]
    [InlineData("tr", "Hatırlatma: 08.06.2026, saat 09:00 infüzyon randevusu", "KetaCare Demo kliniğindeki ketamin infüzyon randevunuzu hatırlatırız: 08.06.2026, saat 09:00")]
    public void AppointmentReminder_InEachLanguage_NamesTheDateTimeAndClinic(string language, string subject, string body)
    {
        var text = new MessageTexts().Render(MessageTemplates.AppointmentReminder, language, Parameters);

        Assert.Equal(subject, text.Subject);
        Assert.Contains(body, text.Body, StringComparison.Ordinal);
        Assert.Contains("+90 212 000 00 00", text.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "please answer the pre-visit checklist")]
    [InlineData("tr", "ziyaret öncesi kontrol listesini yanıtlayın")]
    public void ChecklistReminder_LinksToThePortal(string language, string phrase)
    {
        var text = new MessageTexts(new Uri("https://clinic.example/app/")).Render(MessageTemplates.ChecklistReminder, language, Parameters);

        Assert.Contains(phrase, text.Body, StringComparison.Ordinal);
        Assert.Contains("https://clinic.example/Portal", text.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnknownTemplate_Throws() =>
        Assert.Throws<KeyNotFoundException>(() => new MessageTexts().Render("invitation-v0", "en", Parameters));
}
