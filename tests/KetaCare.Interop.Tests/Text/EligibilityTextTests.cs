using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Eligibility;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Protocols;
using KetaCare.Interop.Text;
using KetaCare.Pharmacology.Models;

namespace KetaCare.Interop.Tests.Text;

/// <summary>
/// Eligibility findings are typed templates with arguments: each renders in English exactly as the stored message and
/// in Turkish from the catalogue, with dates and words as a Turkish reader writes them. Screenings that reach every
/// rule (every contraindication, interaction, pregnancy state, age and protocol intensity) leave no template untranslated.
/// </summary>
public sealed class EligibilityTextTests
{
    private static readonly CultureInfo Turkish = new("tr-TR");
    private static readonly DateOnly Today = new(2026, 6, 1);
    private static readonly UserId Nurse = new(Guid.Parse("00000000-0000-4000-8000-000000000001"));

    private static IEnumerable<RuleFinding> Screenings()
    {
        var clock = new FixedClock(new DateTimeOffset(2026, 6, 1, 9, 0, 0, TimeSpan.Zero));
        foreach (var (sex, born, pregnancy) in new (Sex, DateOnly, PregnancyState?)[]
        {
            (Sex.Female, new DateOnly(1980, 1, 1), PregnancyState.Pregnant),
            (Sex.Female, new DateOnly(2010, 1, 1), null),
            (Sex.Female, new DateOnly(1980, 1, 1), PregnancyState.NotPregnant),
        })
        {
            var p = Patient.Register(new Demographics("MRN-T", "Ada", "Test", born, sex), Nurse, clock);
            var condition = p.Record(new Condition(Icd10Code.Parse("M79.7").Value, "fibromyalgia", Today.AddMonths(-1)), Nurse, clock);
            p.Record(new Condition(Icd10Code.Parse("G90.511").Value, "CRPS", Today.AddYears(-1)), Nurse, clock);
            foreach (var kind in Enum.GetValues<FindingKind>())
            {
                foreach (var active in new[] { true, false })
                {
                    foreach (var severity in Enum.GetValues<Severity>())
                    {
                        p.Record(new ContraindicationFinding(kind, severity, active), Nurse, clock);
                    }
                }
            }

            var everyInteraction = Enum.GetValues<InteractionClass>().Aggregate(InteractionClass.None, (a, c) => a | c);
            p.Record(new Medication("mixture", null, everyInteraction), Nurse, clock);
            p.Record(new AllergyIntolerance(AllergySubstance.Ketamine, AllergyCategory.Medication, AllergyType.Allergy, AllergyCriticality.High, AllergyClinicalStatus.Active, AllergyVerification.Confirmed), Nurse, clock);
            if (pregnancy is { } state)
            {
                p.Record(new PregnancyStatus(state, Today), Nurse, clock);
            }

            var adolescent = ProtocolLibrary.Rema2012 with { MinimumAgeYears = 20 };
            foreach (var protocol in new Protocol?[] { null, ProtocolLibrary.SeedOutpatient, ProtocolLibrary.Rema2012, adolescent })
            {
                foreach (var f in EligibilityRules.Evaluate(p.Snapshot(), condition.Id, Today, protocol).Findings)
                {
                    yield return f;
                }

                var crps = p.Conditions.Active.Last().Id;
                foreach (var f in EligibilityRules.Evaluate(p.Snapshot(), crps, Today, protocol).Findings)
                {
                    yield return f;
                }
            }

            foreach (var f in EligibilityRules.Evaluate(Patient.Register(new Demographics("MRN-E", "Ed", "Empty", born, Sex.Male), Nurse, clock).Snapshot(), new EntryId(Guid.NewGuid()), Today).Findings)
            {
                yield return f;
            }
        }
    }

    [Fact]
    public void EveryTemplate_RendersItsStoredMessageInEnglish_AndHasATurkishTranslation()
    {
        var findings = Screenings().ToList();
        var templates = findings.Select(f => f.Template).Distinct().ToList();
        Assert.True(templates.Count >= 40, $"{templates.Count} templates reached");
        Assert.All(findings, f =>
        {
            Assert.NotNull(f.Template);
            Assert.Equal(f.Message, FindingText.Render(f, CultureInfo.InvariantCulture));
            var turkish = Strings.For(Turkish)[f.Template!];
            Assert.False(turkish.ResourceNotFound, f.Template);
            Assert.NotEqual(f.Template, turkish.Value);
            Assert.DoesNotContain("{", FindingText.Render(f, Turkish), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Render_Turkish_DatesAndWordsAsATurkishReaderWritesThem()
    {
        var pain = RuleFinding.Of("pain-duration", FindingLevel.Pass, Source.Cohen2018, "Pain since {onset}: {months} whole month(s) on {date}; at least {minimum} required.",
            Clinic.Findings.FindingArg.Of("onset", "2025-06-01"), Clinic.Findings.FindingArg.Of("months", 12), Clinic.Findings.FindingArg.Of("date", "2026-06-01"), Clinic.Findings.FindingArg.Of("minimum", 3));
        var risk = RuleFinding.Of("cardiovascular-risk", FindingLevel.Warning, Source.Cohen2018, "{finding} (controlled): ECG before the first infusion.", Clinic.Findings.FindingArg.Of("finding", "Hypertension"));

        Assert.Equal("Ağrı 01.06.2025 tarihinden beri: 01.06.2026 itibarıyla 12 tam ay; en az 3 gerekli.", FindingText.Render(pain, Turkish));
        Assert.Equal("Hipertansiyon (kontrol altında): ilk infüzyondan önce EKG.", FindingText.Render(risk, Turkish));
        Assert.Equal("Hypertension (controlled): ECG before the first infusion.", risk.Message);
    }

    [Fact]
    public void Render_AScreeningStoredWithoutTemplates_ShowsItsStoredMessage()
    {
        var old = new RuleFinding("pregnancy", FindingLevel.Exclude, "Pregnancy: avoid (Grade B).", Source.Cohen2018);

        Assert.Equal("Pregnancy: avoid (Grade B).", FindingText.Render(old, Turkish));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
