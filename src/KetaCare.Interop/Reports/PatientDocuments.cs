using System.Globalization;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Protocols;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Units;

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
/// and Turkish, filled with the patient's plan. The wording is KetaCare's own; every fact comes from docs/clinical-reference.md
/// (the entries named in the comment above each text) — except the advice not to drive for 24 h and to go home with an escort, which are the
/// clinic's discharge rules (the session's discharge requires an escort).
/// </summary>
public static class PatientDocuments
{
    /// <summary>The leaflet as a PDF.</summary>
    public static byte[] Leaflet(PatientDocumentFacts facts, ReportLanguage language, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var tr = language == ReportLanguage.Turkish;
        return Render(facts, tr, tr ? "Hasta bilgilendirme broşürü: ağrı tedavisinde ketamin" : "Patient information: ketamine for chronic pain", [.. tr ? LeafletTr(facts) : LeafletEn(facts), .. Contact(facts, tr)], cancellationToken);
    }

    /// <summary>The consent form as a PDF; it names <see cref="ConsentForm.Kind"/> and <see cref="ConsentForm.Version"/>.</summary>
    public static byte[] Consent(PatientDocumentFacts facts, ReportLanguage language, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var tr = language == ReportLanguage.Turkish;
        return Render(facts, tr, tr ? "Aydınlatılmış onam formu: ağrı tedavisinde ketamin (onay dışı kullanım)" : "Informed consent: ketamine for chronic pain (off-label use)", tr ? ConsentTr(facts, language) : ConsentEn(facts, language), cancellationToken);
    }

    internal static byte[] Render(PatientDocumentFacts facts, bool turkish, string title, IEnumerable<Block> blocks, CancellationToken cancellationToken = default)
    {
        var p = facts.Patient;
        var clinic = facts.ClinicOrPlaceholder;
        var header = clinic.IsSet ? clinic.Letterhead : "KetaCare — " + title;
        var patient = string.Create(CultureInfo.InvariantCulture, $"{p.GivenName} {p.FamilyName} · MRN {p.MedicalRecordNumber} · {(turkish ? "d." : "born")} {Date(p.BirthDate)}");
        using var layout = new PdfLayout(title, header, patient, turkish ? "Sayfa" : "Page", turkish ? "/" : "of", cancellationToken);
        layout.Title(title);
        foreach (var b in blocks)
        {
            switch (b)
            {
                case HeadingBlock h: layout.Heading(h.Text); break;
                case ParagraphBlock t: layout.Paragraph(t.Text); break;
                case BulletBlock l: layout.Bullets(l.Items); break;
                case SignatureBlock s: layout.Signature(s.Caption, null); break;
            }
        }

        return layout.Save();
    }

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // The clinic's own contacts and the regulator patients may report side effects to: the last section of the leaflet.
    private static IEnumerable<Block> Contact(PatientDocumentFacts f, bool tr)
    {
        var c = f.ClinicOrPlaceholder;
        yield return new HeadingBlock(tr ? "Bize ulaşmak için" : "How to reach us");
        yield return new ParagraphBlock(string.Join(tr ? ", " : ", ", new[] { c.Name, c.Address.ReplaceLineEndings(", "), c.Phone }.Where(x => !string.IsNullOrWhiteSpace(x))) + ".");
        yield return new ParagraphBlock(tr
            ? $"Seanstan sonra kendinizi iyi hissetmezseniz arayın: {(string.IsNullOrWhiteSpace(c.EmergencyContact) ? "klinik telefonu" : c.EmergencyContact)}. Acil bir durumda en yakın acil servise başvurun."
            : $"If you feel unwell after a session, call: {(string.IsNullOrWhiteSpace(c.EmergencyContact) ? "the clinic's telephone" : c.EmergencyContact)}. In an emergency go to the nearest emergency department.");
        yield return new ParagraphBlock(tr
            ? $"Bulunduğunuz yerde ilaçları ruhsatlandıran kurum: {c.Regulator}. Yan etkileri bize olduğu gibi ona da bildirebilirsiniz."
            : $"The body that licenses medicines where you are treated is {c.Regulator}; you may report side effects to it as well as to us.");
    }

    // Each statement of the consent form gets a line for the patient's initials.
    private static IReadOnlyList<string> WithInitials(IEnumerable<string> statements, bool tr) =>
        [.. statements.Select(s => s + (tr ? "   Paraf: ________" : "   Initials: ________"))];

    private static string Hours(PatientDocumentFacts f) => f.Protocol.InfusionDuration is { } d ? SafeNumber.Format(d.Minutes) : "—";

    /// <summary>"about 32 mg per hour" for a mg/kg/h dose and a known weight; empty otherwise.</summary>
    private static string ForWeight(PatientDocumentFacts f, DoseLevel dose, string perHour, string perDose) => (f.Weight, dose.Basis) switch
    {
        ({ } w, DoseBasis.MgPerKgPerHour) => $"{SafeNumber.Format(dose.Value * w.Kilograms, 3)} mg {perHour}",
        ({ } w, DoseBasis.MgPerKg) => $"{SafeNumber.Format(dose.Value * w.Kilograms, 3)} mg {perDose}",
        _ => string.Empty,
    };

    private static string RouteEn(Route r) => r switch
    {
        Route.Intravenous => "as a slow drip (infusion) into a vein through a thin plastic tube (cannula) in your arm or hand",
        Route.Intramuscular => "as an injection into a muscle",
        Route.Subcutaneous => "as an injection under the skin",
        Route.Intranasal => "as a spray into the nose",
        Route.Sublingual => "as a tablet or liquid held under the tongue",
        Route.Oral => "by mouth",
        _ => "rectally",
    };

    private static string RouteTr(Route r) => r switch
    {
        Route.Intravenous => "kolunuza ya da elinize yerleştirilen ince bir plastik kanül aracılığıyla damardan yavaş infüzyon (serum) şeklinde",
        Route.Intramuscular => "kas içine enjeksiyon şeklinde",
        Route.Subcutaneous => "deri altına enjeksiyon şeklinde",
        Route.Intranasal => "burun spreyi şeklinde",
        Route.Sublingual => "dil altında tutulan tablet ya da sıvı şeklinde",
        Route.Oral => "ağızdan",
        _ => "makattan",
    };

    // Facts, all in docs/clinical-reference.md: clinical-reference: Regulatory status (regulatory) for FDA 1970 and
    // off-label use; clinical-reference: Receptor and channel targets (receptor-targets) for NMDA near analgesic
    // concentrations and opioid receptors, Na+ and K+ channels only at anaesthetic ones; clinical-reference: Consensus
    // guideline (cohen2018) for evidence, doses, contraindications and monitoring; clinical-reference: Product label
    // (ketalar-label) for emergence reactions ≈ 12 %, monitoring, interactions and chronic use; clinical-reference:
    // Adverse effects (noppers2011) for liver injury and uropathy; clinical-reference: Concentration and effect
    // (langsjo2005, sigtermans2009anesth) for haemodynamics; clinical-reference: Scales and codes (aldrete1995).
    private static IEnumerable<Block> LeafletEn(PatientDocumentFacts f)
    {
        var p = f.Protocol;
        var start = ForWeight(f, f.StartDose, "per hour", "per dose");
        var ceiling = ForWeight(f, f.Ceiling, "per hour", "per dose");
        yield return new ParagraphBlock($"Prepared for {f.Patient.GivenName} {f.Patient.FamilyName} (record number {f.Patient.MedicalRecordNumber}, born {Date(f.Patient.BirthDate)}) on {Date(f.Date)}. Please read it before you decide, and ask us about anything that is not clear.");
        yield return new HeadingBlock("What is ketamine?");
        yield return new ParagraphBlock("Ketamine is a medicine that was approved in the United States by the Food and Drug Administration (FDA) in 1970 as an anaesthetic, a drug that puts people to sleep for operations. Using it to treat long-lasting (chronic) pain is \"off-label\": doctors may prescribe it for this, but it has not been approved for it. This is why we ask for your written consent.");
        yield return new HeadingBlock("How does it act on pain?");
        yield return new ParagraphBlock("At the low doses used for pain, ketamine works mainly by blocking NMDA receptors. These receptors on nerve cells are switched on by glutamate, a chemical messenger, and take part in passing on pain signals in the spinal cord and brain. Ketamine reaches opioid receptors and sodium and potassium channels only at the much higher concentrations used for anaesthesia, not at the doses you will be given.");
        yield return new ParagraphBlock("The evidence is strongest for complex regional pain syndrome (CRPS), where an international guideline rates it as moderate, with benefit lasting up to about 12 weeks; for most other kinds of chronic pain the evidence is weak. Not everyone benefits.");
        yield return new HeadingBlock("What does a session involve?");
        yield return new BulletBlock(
        [
            $"Your treatment plan: {p.Name}. Ketamine is given {RouteEn(p.Route)}.",
            $"Dose: the first session is {f.StartDose}{(start.Length > 0 ? $" (about {start} for your weight)" : string.Empty)}. The dose may be raised step by step at later sessions, never above {f.Ceiling}{(ceiling.Length > 0 ? $" (about {ceiling})" : string.Empty)}, depending on how you respond and how well you tolerate it.",
            p.InfusionDuration is not null ? $"Each infusion lasts about {Hours(f)} minutes. Please allow extra time before it for checks and afterwards for recovery." : "Please allow time before the dose for checks and afterwards for recovery.",
            $"The plan has up to {p.NumberOfSessions} session(s), about {p.IntervalDays} day(s) apart.",
            "Before each session we check your blood pressure, pulse and oxygen level, ask you to score your pain from 0 to 10, and check that nothing has changed since last time (for women who could be pregnant, a pregnancy test).",
            "During the session a nurse stays with you and checks your blood pressure, pulse, oxygen level, breathing, alertness and pain regularly. Equipment to support breathing is at hand. The infusion can be slowed, paused or stopped at any time.",
            "After the session you rest while we watch you recover. You can go home when a standard recovery score (the modified Aldrete score) is 9 or more out of 10 and an adult is with you to take you home.",
            "Do not drive, ride a bicycle, operate machinery, make important decisions or drink alcohol for 24 hours after a session.",
        ]);
        yield return new HeadingBlock("What are the risks?");
        yield return new ParagraphBlock("Most side effects happen during the infusion or soon after, and pass when the dose is lowered or stopped.");
        yield return new BulletBlock(
        [
            "Feeling detached, dreamy or unreal (dissociation), unusual perceptions or thoughts. These are common: in long infusions about three in four people had them. Unpleasant reactions on waking from anaesthesia occur in about 12 in 100 people at anaesthetic doses.",
            "Feeling sick or being sick.",
            "A rise in blood pressure and heart rate. This matters most if you have heart or blood-vessel disease, which is why poorly controlled heart disease or blood pressure rules this treatment out.",
            "Sleepiness, double vision or flickering eye movements, vivid dreams.",
            "With repeated long infusions, the liver can be affected: in one study, 3 of 6 patients having a second 100-hour infusion developed signs of liver injury. We may check your liver blood tests. (Noppers 2011)",
            "Bladder problems (pain, frequent or bloody urine) are known mainly with long-term recreational use; tell us at once if you notice them.",
            "Ketamine must be avoided in pregnancy, active psychosis, severe liver disease and raised pressure in the head or eyes.",
        ]);
        yield return new HeadingBlock("Other medicines");
        yield return new ParagraphBlock("Tell us about every medicine you take. Sleeping tablets and tranquillisers (benzodiazepines), opioid painkillers and other calming drugs add to sleepiness and can slow breathing; theophylline and aminophylline can lower the threshold for fits; some antibiotics (clarithromycin) and other drugs change how quickly ketamine is broken down.");
        yield return new HeadingBlock("What to tell us");
        yield return new BulletBlock(
        [
            "During the session: if you feel frightened, very strange or unwell, have chest pain, a pounding heart, a bad headache, feel sick, or have trouble breathing.",
            "After you go home: confusion or disturbing experiences that do not pass, pain or blood when passing urine, yellow skin or eyes, or any other new problem. Also tell us how your pain changes in the days and weeks after each session: this decides the next dose.",
        ]);
        yield return new HeadingBlock("What are the alternatives?");
        yield return new ParagraphBlock("You do not have to have ketamine. Other options include continuing or changing your current pain medicines (for example gabapentin or pregabalin, antidepressants used for nerve pain, or creams), physiotherapy and psychological approaches, and procedures such as nerve blocks or spinal cord stimulation. Your doctor can discuss which suit you. Saying no, or stopping at any time, will not affect the rest of your care.");
        yield return new ParagraphBlock("Sources: the prescribing information of Ketalar, the ASRA/AAPM/ASA consensus guideline (Cohen 2018) and the studies named above.");
    }

    private static IEnumerable<Block> LeafletTr(PatientDocumentFacts f)
    {
        var p = f.Protocol;
        var start = ForWeight(f, f.StartDose, "/saat", "/doz");
        var ceiling = ForWeight(f, f.Ceiling, "/saat", "/doz");
        yield return new ParagraphBlock($"{f.Patient.GivenName} {f.Patient.FamilyName} (dosya numarası {f.Patient.MedicalRecordNumber}, doğum tarihi {Date(f.Patient.BirthDate)}) için {Date(f.Date)} tarihinde hazırlanmıştır. Karar vermeden önce lütfen okuyun; açık olmayan her şeyi bize sorun.");
        yield return new HeadingBlock("Ketamin nedir?");
        yield return new ParagraphBlock("Ketamin, Amerika Birleşik Devletleri'nde Gıda ve İlaç Dairesi (FDA) tarafından 1970 yılında anestezi ilacı, yani ameliyatlarda kişiyi uyutan bir ilaç olarak onaylanmıştır. Uzun süreli (kronik) ağrının tedavisinde kullanımı \"onay dışı\" (endikasyon dışı) kullanımdır: doktorlar bu amaçla reçete edebilir, ancak ilaç bu kullanım için onaylanmamıştır. Bu nedenle yazılı onamınızı istiyoruz.");
        yield return new HeadingBlock("Ağrıya nasıl etki eder?");
        yield return new ParagraphBlock("Ağrı tedavisinde kullanılan düşük dozlarda ketamin esas olarak NMDA reseptörlerini engelleyerek etki eder. Sinir hücrelerindeki bu reseptörler, kimyasal bir haberci olan glutamat ile uyarılır ve ağrı sinyallerinin omurilik ile beyinde iletilmesinde rol oynar. Ketamin opioid reseptörlerine ve sodyum ile potasyum kanallarına ancak anestezide kullanılan çok daha yüksek konsantrasyonlarda ulaşır; size verilecek dozlarda ulaşmaz.");
        yield return new ParagraphBlock("Kanıtlar en güçlü olarak kompleks bölgesel ağrı sendromu (KBAS/CRPS) için vardır: uluslararası bir kılavuz kanıtı orta düzeyde kabul eder ve yarar 12 haftaya kadar sürebilir. Diğer kronik ağrı türlerinin çoğunda kanıt zayıftır. Herkes yarar görmez.");
        yield return new HeadingBlock("Bir seans nasıl geçer?");
        yield return new BulletBlock(
        [
            $"Tedavi planınız: {p.Name}. Ketamin {RouteTr(p.Route)} verilir.",
            $"Doz: ilk seansta {f.StartDose}{(start.Length > 0 ? $" (kilonuza göre yaklaşık {start})" : string.Empty)}. Sonraki seanslarda yanıtınıza ve ilacı ne kadar iyi tolere ettiğinize göre doz adım adım artırılabilir; {f.Ceiling}{(ceiling.Length > 0 ? $" (yaklaşık {ceiling})" : string.Empty)} değerini hiçbir zaman aşmaz.",
            p.InfusionDuration is not null ? $"Her infüzyon yaklaşık {Hours(f)} dakika sürer. Öncesinde kontroller, sonrasında iyileşme için ek zaman ayırın." : "Dozdan önce kontroller, sonrasında iyileşme için zaman ayırın.",
            $"Planda {p.IntervalDays} gün arayla en fazla {p.NumberOfSessions} seans vardır.",
            "Her seanstan önce tansiyonunuzu, nabzınızı ve oksijen düzeyinizi ölçer, ağrınızı 0 ile 10 arasında puanlamanızı ister ve son seanstan bu yana bir değişiklik olup olmadığını kontrol ederiz (gebe kalma olasılığı olan kadınlarda gebelik testi yapılır).",
            "Seans sırasında bir hemşire yanınızda kalır; tansiyonunuzu, nabzınızı, oksijen düzeyinizi, solunumunuzu, uyanıklığınızı ve ağrınızı düzenli olarak kontrol eder. Solunumu desteklemek için ekipman hazırdır. İnfüzyon her an yavaşlatılabilir, durdurulabilir ya da sonlandırılabilir.",
            "Seanstan sonra iyileşmenizi izlerken dinlenirsiniz. Standart bir derlenme puanı (modifiye Aldrete skoru) 10 üzerinden 9 veya üzerinde olduğunda ve sizi eve götürecek bir yetişkin yanınızdayken eve gidebilirsiniz.",
            "Seanstan sonraki 24 saat boyunca araç ya da bisiklet kullanmayın, makine çalıştırmayın, önemli kararlar vermeyin ve alkol içmeyin.",
        ]);
        yield return new HeadingBlock("Riskler nelerdir?");
        yield return new ParagraphBlock("Yan etkilerin çoğu infüzyon sırasında ya da kısa süre sonra ortaya çıkar ve doz azaltıldığında ya da durdurulduğunda geçer.");
        yield return new BulletBlock(
        [
            "Kendinizi kopuk, rüyadaymış gibi ya da gerçek dışı hissetme (disosiyasyon), alışılmadık algılar veya düşünceler. Bunlar sıktır: uzun infüzyonlarda yaklaşık her dört kişiden üçünde görülmüştür. Anestezi dozlarında uyanırken rahatsız edici tepkiler yaklaşık 100 kişide 12 kişide görülür.",
            "Bulantı ya da kusma.",
            "Tansiyon ve kalp hızında artış. Bu özellikle kalp veya damar hastalığınız varsa önemlidir; bu yüzden kontrol altında olmayan kalp hastalığı ya da yüksek tansiyon bu tedaviye engeldir.",
            "Uyku hali, çift görme ya da gözlerde titreşim, canlı rüyalar.",
            "Tekrarlanan uzun infüzyonlarda karaciğer etkilenebilir: bir çalışmada ikinci kez 100 saatlik infüzyon alan 6 hastanın 3'ünde karaciğer hasarı belirtileri gelişmiştir. Karaciğer kan testlerinizi kontrol edebiliriz. (Noppers 2011)",
            "Mesane sorunları (idrarda ağrı, sık ya da kanlı idrar) esas olarak uzun süreli keyif amaçlı kullanımda bilinir; fark ederseniz hemen bize bildirin.",
            "Gebelikte, aktif psikozda, ağır karaciğer hastalığında ve kafa içi ya da göz içi basıncı yüksekken ketaminden kaçınılmalıdır.",
        ]);
        yield return new HeadingBlock("Diğer ilaçlar");
        yield return new ParagraphBlock("Kullandığınız bütün ilaçları bize söyleyin. Uyku ilaçları ve sakinleştiriciler (benzodiazepinler), opioid ağrı kesiciler ve diğer yatıştırıcı ilaçlar uyku halini artırır ve solunumu yavaşlatabilir; teofilin ve aminofilin nöbet eşiğini düşürebilir; bazı antibiyotikler (klaritromisin) ve başka ilaçlar ketaminin vücutta parçalanma hızını değiştirir.");
        yield return new HeadingBlock("Bize neleri bildirmelisiniz?");
        yield return new BulletBlock(
        [
            "Seans sırasında: korku, çok garip ya da kötü hissetme, göğüs ağrısı, çarpıntı, şiddetli baş ağrısı, bulantı ya da nefes almada güçlük.",
            "Eve gittikten sonra: geçmeyen bilinç bulanıklığı ya da rahatsız edici yaşantılar, idrar yaparken ağrı ya da kan, deride veya gözlerde sararma ya da başka herhangi bir yeni şikâyet. Her seanstan sonraki günlerde ve haftalarda ağrınızın nasıl değiştiğini de bize bildirin: bir sonraki doz buna göre belirlenir.",
        ]);
        yield return new HeadingBlock("Başka seçenekler nelerdir?");
        yield return new ParagraphBlock("Ketamin almak zorunda değilsiniz. Diğer seçenekler arasında şu anki ağrı ilaçlarınıza devam etmek ya da bunları değiştirmek (örneğin gabapentin veya pregabalin, sinir ağrısında kullanılan antidepresanlar ya da kremler), fizyoterapi ve psikolojik yaklaşımlar ile sinir blokları veya omurilik stimülasyonu gibi girişimler vardır. Size hangisinin uygun olduğunu doktorunuzla konuşabilirsiniz. Hayır demeniz ya da tedaviyi istediğiniz an bırakmanız diğer bakımınızı etkilemez.");
        yield return new ParagraphBlock("Kaynaklar: Ketalar'ın ürün bilgisi, ASRA/AAPM/ASA uzlaşı kılavuzu (Cohen 2018) ve yukarıda adı geçen çalışmalar.");
    }

    private static IEnumerable<Block> ConsentEn(PatientDocumentFacts f, ReportLanguage language)
    {
        yield return new ParagraphBlock($"Patient: {f.Patient.GivenName} {f.Patient.FamilyName}, record number {f.Patient.MedicalRecordNumber}, born {Date(f.Patient.BirthDate)}.");
        yield return new ParagraphBlock($"Treatment: {f.Protocol.Name} — ketamine {RouteEn(f.Protocol.Route)}, starting at {f.StartDose} and never above {f.Ceiling}, up to {f.Protocol.NumberOfSessions} session(s) about {f.Protocol.IntervalDays} day(s) apart.");
        yield return new ParagraphBlock($"Consent to: off-label use of ketamine for chronic pain · form {ConsentForm.Version} · reference {ConsentForm.DocumentReference(f.Patient.MedicalRecordNumber, language)}.");
        yield return new HeadingBlock("I confirm that (initial each statement)");
        yield return new BulletBlock(WithInitials(
            [
            "I have read the patient information leaflet \"Ketamine for chronic pain\" (same form version), or it was read to me, and I was able to ask questions.",
            "I understand that ketamine is approved as an anaesthetic (FDA, 1970) and that its use for my pain is off-label.",
            "I understand what a session involves, including monitoring during the infusion and observation until I have recovered.",
            "I understand the risks explained to me, including dissociation and unusual perceptions, nausea, a rise in blood pressure and heart rate, sleepiness, and liver and bladder problems with repeated or long-term use, and I will report the problems listed in the leaflet.",
            "I have told the team about all my medicines, any pregnancy or possible pregnancy, and my medical conditions.",
            "I know the alternatives, and that I may refuse or stop the treatment at any time without it affecting the rest of my care.",
            "I will not drive, operate machinery or drink alcohol for 24 hours after each session, and an adult will take me home.",
        ], tr: false));
        yield return new SignatureBlock("Patient (or legal representative) — signature / date / time");
        yield return new SignatureBlock("Physician who explained the treatment — name, signature / date / time");
        yield return new SignatureBlock("Interpreter or witness, if present — name, signature / date / time");
    }

    private static IEnumerable<Block> ConsentTr(PatientDocumentFacts f, ReportLanguage language)
    {
        yield return new ParagraphBlock($"Hasta: {f.Patient.GivenName} {f.Patient.FamilyName}, dosya numarası {f.Patient.MedicalRecordNumber}, doğum tarihi {Date(f.Patient.BirthDate)}.");
        yield return new ParagraphBlock($"Tedavi: {f.Protocol.Name} — ketamin {RouteTr(f.Protocol.Route)}; {f.StartDose} ile başlanır ve {f.Ceiling} değerini aşmaz; {f.Protocol.IntervalDays} gün arayla en fazla {f.Protocol.NumberOfSessions} seans.");
        yield return new ParagraphBlock($"Onam konusu: ketaminin kronik ağrıda onay dışı kullanımı · form {ConsentForm.Version} · referans {ConsentForm.DocumentReference(f.Patient.MedicalRecordNumber, language)}.");
        yield return new HeadingBlock("Aşağıdakileri onaylıyorum (her ifadeyi paraflayın)");
        yield return new BulletBlock(WithInitials(
            [
            "\"Ağrı tedavisinde ketamin\" hasta bilgilendirme broşürünü (aynı form sürümü) okudum ya da bana okundu ve soru sorma fırsatım oldu.",
            "Ketaminin anestezi ilacı olarak onaylandığını (FDA, 1970) ve ağrım için kullanımının onay dışı kullanım olduğunu anlıyorum.",
            "Bir seansın nasıl geçtiğini, infüzyon sırasında izlenmeyi ve iyileşene kadar gözlem altında tutulmayı anlıyorum.",
            "Bana açıklanan riskleri anlıyorum: disosiyasyon ve alışılmadık algılar, bulantı, tansiyon ve kalp hızında artış, uyku hali ile tekrarlanan ya da uzun süreli kullanımda karaciğer ve mesane sorunları. Broşürde sayılan şikâyetleri bildireceğim.",
            "Kullandığım bütün ilaçları, gebelik ya da gebelik olasılığını ve hastalıklarımı ekibe bildirdim.",
            "Diğer seçenekleri biliyorum; tedaviyi reddedebileceğimi ya da istediğim an bırakabileceğimi ve bunun diğer bakımımı etkilemeyeceğini biliyorum.",
            "Her seanstan sonraki 24 saat araç kullanmayacağım, makine çalıştırmayacağım, alkol içmeyeceğim ve beni eve bir yetişkin götürecek.",
        ], tr: true));
        yield return new SignatureBlock("Hasta (ya da yasal temsilcisi) — imza / tarih / saat");
        yield return new SignatureBlock("Tedaviyi açıklayan hekim — ad, imza / tarih / saat");
        yield return new SignatureBlock("Varsa tercüman ya da tanık — ad, imza / tarih / saat");
    }
}
