using System.Globalization;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Models;
using KetaCare.Interop.Text;
using KetaCare.Pharmacology.Units;
using Microsoft.Extensions.Localization;

namespace KetaCare.Interop.Reports;

/// <summary>Language of a document handed to a patient.</summary>
public enum ReportLanguage
{
    /// <summary>English.</summary>
    English,

    /// <summary>Turkish.</summary>
    Turkish,
}

/// <summary>The consent form KetaCare prints, so a signed copy can be referenced when the consent is recorded.</summary>
public static class ConsentForm
{
    /// <summary>The consent kind the form asks for (recorded on the patient through <c>PatientService</c>).</summary>
    public const ConsentKind Kind = ConsentKind.OffLabelKetamineForPain;

    /// <summary>Version of the form's text; changes whenever the wording of the leaflet or the form changes.</summary>
    public const string Version = "KC-CONSENT-OFFLABEL-KETAMINE-PAIN/1";

    /// <summary>
    /// The document reference to record with the consent ("KC-CONSENT-OFFLABEL-KETAMINE-PAIN/1/en/DEMO-0001"): form
    /// version, language and record number, so the signed paper can be matched to the text the patient read.
    /// </summary>
    public static string DocumentReference(string medicalRecordNumber, ReportLanguage language) =>
        $"{Version}/{(language == ReportLanguage.Turkish ? "tr" : "en")}/{medicalRecordNumber}";
}

/// <summary>What a leaflet or consent form is filled with: the patient and the treatment planned.</summary>
/// <param name="Patient">Demographics.</param>
/// <param name="Weight">The latest weight, if any (to turn mg/kg doses into mg).</param>
/// <param name="Protocol">The protocol of the patient's plan (or the one proposed).</param>
/// <param name="StartDose">The first session's dose.</param>
/// <param name="Ceiling">The highest dose the protocol allows.</param>
/// <param name="Date">Date printed on the document.</param>
/// <param name="Clinic">The clinic that gives the treatment (letterhead, emergency contact, regulator); placeholders when not set.</param>
public sealed record PatientDocumentFacts(Demographics Patient, BodyWeight? Weight, Protocol Protocol, DoseLevel StartDose, DoseLevel Ceiling, DateOnly Date, KetaCare.Clinic.Clinics.ClinicIdentity? Clinic = null)
{
    /// <summary>The clinic, or the placeholders that say it is not set.</summary>
    public KetaCare.Clinic.Clinics.ClinicIdentity ClinicOrPlaceholder => Clinic ?? KetaCare.Clinic.Clinics.ClinicIdentity.NotSet;
}

/// <summary>A piece of a document, laid out by <see cref="PdfLayout"/>.</summary>
internal abstract record Block;

internal sealed record HeadingBlock(string Text) : Block;

internal sealed record ParagraphBlock(string Text) : Block;

internal sealed record BulletBlock(IReadOnlyList<string> Items) : Block;

internal sealed record SignatureBlock(string Caption) : Block;

/// <summary>
/// The patient information leaflet and the informed-consent form for off-label ketamine for chronic pain, in English
/// and Turkish (the texts in <see cref="Strings"/>), filled with the patient's plan. The wording is KetaCare's own; every fact comes from docs/clinical-reference.md
/// (the entries named in the comment above each text) — except the advice not to drive for 24 h and to go home with an escort, which are the
/// clinic's discharge rules (the session's discharge requires an escort).
/// </summary>
public static class PatientDocuments
{
    /// <summary>The leaflet as a PDF.</summary>
    public static byte[] Leaflet(PatientDocumentFacts facts, ReportLanguage language, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var c = Culture(language);
        var t = Strings.For(c);
        return Render(facts, c, t["Patient information: ketamine for chronic pain"], [.. Leaflet(facts, c), .. Contact(facts, c)], cancellationToken);
    }

    /// <summary>The consent form as a PDF; it names <see cref="ConsentForm.Kind"/> and <see cref="ConsentForm.Version"/>.</summary>
    public static byte[] Consent(PatientDocumentFacts facts, ReportLanguage language, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var c = Culture(language);
        var t = Strings.For(c);
        return Render(facts, c, t["Informed consent: ketamine for chronic pain (off-label use)"], Consent(facts, language, c), cancellationToken);
    }

    /// <summary>The culture a document in <paramref name="language"/> is written in (English with a decimal point, or Turkish).</summary>
    public static CultureInfo Culture(ReportLanguage language) =>
        language == ReportLanguage.Turkish ? ReportCultures.Turkish : CultureInfo.InvariantCulture;

    internal static byte[] Render(PatientDocumentFacts facts, CultureInfo c, string title, IEnumerable<Block> blocks, CancellationToken cancellationToken = default)
    {
        var t = Strings.For(c);
        var p = facts.Patient;
        var clinic = facts.ClinicOrPlaceholder;
        var header = clinic.IsSet ? clinic.Letterhead : "KetaCare — " + title;
        var patient = t["{0} {1} · MRN {2} · born {3}", p.GivenName, p.FamilyName, p.MedicalRecordNumber, TextFormat.Date(p.BirthDate, c)];
        using var layout = new PdfLayout(title, header, patient, t["Page"], t["of|pages"], cancellationToken);
        layout.Title(title);
        foreach (var b in blocks)
        {
            switch (b)
            {
                case HeadingBlock h: layout.Heading(h.Text); break;
                case ParagraphBlock para: layout.Paragraph(para.Text); break;
                case BulletBlock l: layout.Bullets(l.Items); break;
                case SignatureBlock s: layout.Signature(s.Caption, null); break;
            }
        }

        return layout.Save();
    }

    // The clinic's own contacts and the regulator patients may report side effects to: the last section of the leaflet.
    private static IEnumerable<Block> Contact(PatientDocumentFacts f, CultureInfo culture)
    {
        var t = Strings.For(culture);
        var c = f.ClinicOrPlaceholder;
        yield return new HeadingBlock(t["How to reach us"]);
        yield return new ParagraphBlock(string.Join(", ", new[] { c.Name, c.Address.ReplaceLineEndings(", "), c.Phone }.Where(x => !string.IsNullOrWhiteSpace(x))) + ".");
        yield return new ParagraphBlock(t["If you feel unwell after a session, call: {0}. In an emergency go to the nearest emergency department.", string.IsNullOrWhiteSpace(c.EmergencyContact) ? t["the clinic's telephone"] : c.EmergencyContact]);
        yield return new ParagraphBlock(t["The body that licenses medicines where you are treated is {0}; you may report side effects to it as well as to us.", c.Regulator]);
    }

    // Each statement of the consent form gets a line for the patient's initials.
    private static IReadOnlyList<string> WithInitials(IEnumerable<string> statements, IStringLocalizer t) =>
        [.. statements.Select(s => s + "   " + t["Initials: ________"])];

    private static string Minutes(PatientDocumentFacts f, CultureInfo c) => f.Protocol.InfusionDuration is { } d ? TextFormat.Number(d.Minutes, c) : "—";

    /// <summary>"about 32 mg per hour" for a mg/kg/h dose and a known weight; empty otherwise.</summary>
    private static string ForWeight(PatientDocumentFacts f, DoseLevel dose, CultureInfo c) => (f.Weight, dose.Basis) switch
    {
        ({ } w, DoseBasis.MgPerKgPerHour) => $"{TextFormat.Quantity(dose.Value * w.Kilograms, "mg", c, 3)} {Strings.For(c)["per hour"]}",
        ({ } w, DoseBasis.MgPerKg) => $"{TextFormat.Quantity(dose.Value * w.Kilograms, "mg", c, 3)} {Strings.For(c)["per dose"]}",
        _ => string.Empty,
    };

    // How the leaflet says a route; a key of Strings.
    private static string RouteWords(Route r) => r switch
    {
        Route.Intravenous => "as a slow drip (infusion) into a vein through a thin plastic tube (cannula) in your arm or hand",
        Route.Intramuscular => "as an injection into a muscle",
        Route.Subcutaneous => "as an injection under the skin",
        Route.Intranasal => "as a spray into the nose",
        Route.Sublingual => "as a tablet or liquid held under the tongue",
        Route.Oral => "by mouth",
        _ => "rectally",
    };

    // Facts, all in docs/clinical-reference.md: clinical-reference: Regulatory status (regulatory) for FDA 1970 and
    // off-label use; clinical-reference: Receptor and channel targets (receptor-targets) for NMDA near analgesic
    // concentrations and opioid receptors, Na+ and K+ channels only at anaesthetic ones; clinical-reference: Consensus
    // guideline (cohen2018) for evidence, doses, contraindications and monitoring; clinical-reference: Product label
    // (ketalar-label) for emergence reactions ≈ 12 %, monitoring, interactions and chronic use; clinical-reference:
    // Adverse effects (noppers2011) for liver injury and uropathy; clinical-reference: Concentration and effect
    // (langsjo2005, sigtermans2009anesth) for haemodynamics; clinical-reference: Scales and codes (aldrete1995).
    private static IEnumerable<Block> Leaflet(PatientDocumentFacts f, CultureInfo c)
    {
        var t = Strings.For(c);
        var p = f.Protocol;
        var start = ForWeight(f, f.StartDose, c);
        var ceiling = ForWeight(f, f.Ceiling, c);
        yield return new ParagraphBlock(t["Prepared for {0} {1} (record number {2}, born {3}) on {4}. Please read it before you decide, and ask us about anything that is not clear.", f.Patient.GivenName, f.Patient.FamilyName, f.Patient.MedicalRecordNumber, TextFormat.Date(f.Patient.BirthDate, c), TextFormat.Date(f.Date, c)]);
        yield return new HeadingBlock(t["What is ketamine?"]);
        yield return new ParagraphBlock(t["Ketamine is a medicine that was approved in the United States by the Food and Drug Administration (FDA) in 1970 as an anaesthetic, a drug that puts people to sleep for operations. Using it to treat long-lasting (chronic) pain is \"off-label\": doctors may prescribe it for this, but it has not been approved for it. This is why we ask for your written consent."]);
        yield return new HeadingBlock(t["How does it act on pain?"]);
        yield return new ParagraphBlock(t["At the low doses used for pain, ketamine works mainly by blocking NMDA receptors. These receptors on nerve cells are switched on by glutamate, a chemical messenger, and take part in passing on pain signals in the spinal cord and brain. Ketamine reaches opioid receptors and sodium and potassium channels only at the much higher concentrations used for anaesthesia, not at the doses you will be given."]);
        yield return new ParagraphBlock(t["The evidence is strongest for complex regional pain syndrome (CRPS), where an international guideline rates it as moderate, with benefit lasting up to about 12 weeks; for most other kinds of chronic pain the evidence is weak. Not everyone benefits."]);
        yield return new HeadingBlock(t["What does a session involve?"]);
        yield return new BulletBlock(
        [
            t["Your treatment plan: {0}. Ketamine is given {1}.", t[p.Name], t[RouteWords(p.Route)]],
            t[
                "Dose: the first session is {0}{1}. The dose may be raised step by step at later sessions, never above {2}{3}, depending on how you respond and how well you tolerate it.",
                TextFormat.Dose(f.StartDose, c), start.Length > 0 ? " " + t["(about {0} for your weight)", start] : string.Empty, TextFormat.Dose(f.Ceiling, c), ceiling.Length > 0 ? " " + t["(about {0})", ceiling] : string.Empty],
            p.InfusionDuration is not null ? t["Each infusion lasts about {0} minutes. Please allow extra time before it for checks and afterwards for recovery.", Minutes(f, c)] : t["Please allow time before the dose for checks and afterwards for recovery."],
            t["The plan has up to {0} session(s), about {1} day(s) apart.", p.NumberOfSessions, p.IntervalDays],
            t["Before each session we check your blood pressure, pulse and oxygen level, ask you to score your pain from 0 to 10, and check that nothing has changed since last time (for women who could be pregnant, a pregnancy test)."],
            t["During the session a nurse stays with you and checks your blood pressure, pulse, oxygen level, breathing, alertness and pain regularly. Equipment to support breathing is at hand. The infusion can be slowed, paused or stopped at any time."],
            t["After the session you rest while we watch you recover. You can go home when a standard recovery score (the modified Aldrete score) is 9 or more out of 10 and an adult is with you to take you home."],
            t["Do not drive, ride a bicycle, operate machinery, make important decisions or drink alcohol for 24 hours after a session."],
        ]);
        yield return new HeadingBlock(t["What are the risks?"]);
        yield return new ParagraphBlock(t["Most side effects happen during the infusion or soon after, and pass when the dose is lowered or stopped."]);
        yield return new BulletBlock(
        [
            t["Feeling detached, dreamy or unreal (dissociation), unusual perceptions or thoughts. These are common: in long infusions about three in four people had them. Unpleasant reactions on waking from anaesthesia occur in about 12 in 100 people at anaesthetic doses."],
            t["Feeling sick or being sick."],
            t["A rise in blood pressure and heart rate. This matters most if you have heart or blood-vessel disease, which is why poorly controlled heart disease or blood pressure rules this treatment out."],
            t["Sleepiness, double vision or flickering eye movements, vivid dreams."],
            t["With repeated long infusions, the liver can be affected: in one study, 3 of 6 patients having a second 100-hour infusion developed signs of liver injury. We may check your liver blood tests. (Noppers 2011)"],
            t["Bladder problems (pain, frequent or bloody urine) are known mainly with long-term recreational use; tell us at once if you notice them."],
            t["Ketamine must be avoided in pregnancy, active psychosis, severe liver disease and raised pressure in the head or eyes."],
        ]);
        yield return new HeadingBlock(t["Other medicines"]);
        yield return new ParagraphBlock(t["Tell us about every medicine you take. Sleeping tablets and tranquillisers (benzodiazepines), opioid painkillers and other calming drugs add to sleepiness and can slow breathing; theophylline and aminophylline can lower the threshold for fits; some antibiotics (clarithromycin) and other drugs change how quickly ketamine is broken down."]);
        yield return new HeadingBlock(t["What to tell us"]);
        yield return new BulletBlock(
        [
            t["During the session: if you feel frightened, very strange or unwell, have chest pain, a pounding heart, a bad headache, feel sick, or have trouble breathing."],
            t["After you go home: confusion or disturbing experiences that do not pass, pain or blood when passing urine, yellow skin or eyes, or any other new problem. Also tell us how your pain changes in the days and weeks after each session: this decides the next dose."],
        ]);
        yield return new HeadingBlock(t["What are the alternatives?"]);
        yield return new ParagraphBlock(t["You do not have to have ketamine. Other options include continuing or changing your current pain medicines (for example gabapentin or pregabalin, antidepressants used for nerve pain, or creams), physiotherapy and psychological approaches, and procedures such as nerve blocks or spinal cord stimulation. Your doctor can discuss which suit you. Saying no, or stopping at any time, will not affect the rest of your care."]);
        yield return new ParagraphBlock(t["Sources: the prescribing information of Ketalar, the ASRA/AAPM/ASA consensus guideline (Cohen 2018) and the studies named above."]);
    }

    private static IEnumerable<Block> Consent(PatientDocumentFacts f, ReportLanguage language, CultureInfo c)
    {
        var t = Strings.For(c);
        yield return new ParagraphBlock(t["Patient: {0} {1}, record number {2}, born {3}.", f.Patient.GivenName, f.Patient.FamilyName, f.Patient.MedicalRecordNumber, TextFormat.Date(f.Patient.BirthDate, c)]);
        yield return new ParagraphBlock(t[
            "Treatment: {0} — ketamine {1}, starting at {2} and never above {3}, up to {4} session(s) about {5} day(s) apart.",
            t[f.Protocol.Name], t[RouteWords(f.Protocol.Route)], TextFormat.Dose(f.StartDose, c), TextFormat.Dose(f.Ceiling, c), f.Protocol.NumberOfSessions, f.Protocol.IntervalDays]);
        yield return new ParagraphBlock(t["Consent to: off-label use of ketamine for chronic pain · form {0} · reference {1}.", ConsentForm.Version, ConsentForm.DocumentReference(f.Patient.MedicalRecordNumber, language)]);
        yield return new HeadingBlock(t["I confirm that (initial each statement)"]);
        yield return new BulletBlock(WithInitials(
            [
            t["I have read the patient information leaflet \"Ketamine for chronic pain\" (same form version), or it was read to me, and I was able to ask questions."],
            t["I understand that ketamine is approved as an anaesthetic (FDA, 1970) and that its use for my pain is off-label."],
            t["I understand what a session involves, including monitoring during the infusion and observation until I have recovered."],
            t["I understand the risks explained to me, including dissociation and unusual perceptions, nausea, a rise in blood pressure and heart rate, sleepiness, and liver and bladder problems with repeated or long-term use, and I will report the problems listed in the leaflet."],
            t["I have told the team about all my medicines, any pregnancy or possible pregnancy, and my medical conditions."],
            t["I know the alternatives, and that I may refuse or stop the treatment at any time without it affecting the rest of my care."],
            t["I will not drive, operate machinery or drink alcohol for 24 hours after each session, and an adult will take me home."],
        ], t));
        yield return new SignatureBlock(t["Patient (or legal representative) — signature / date / time"]);
        yield return new SignatureBlock(t["Physician who explained the treatment — name, signature / date / time"]);
        yield return new SignatureBlock(t["Interpreter or witness, if present — name, signature / date / time"]);
    }
}
