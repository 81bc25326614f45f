using KetaCare.Clinic.Findings;
using KetaCare.Clinic.Patients;

namespace KetaCare.Clinic.Portal;

/// <summary>Which optional questions of the pre-visit checklist a patient is asked.</summary>
/// <param name="Pregnancy">True when "could you be pregnant?" is asked, and must then be answered.</param>
public sealed record PreVisitQuestions(bool Pregnancy);

/// <summary>
/// The pre-visit checklist's own rules: which questions apply to a patient, and whether a set of answers fits them.
/// Pure; the portal's pages and API present the questions this decides, and <see cref="Patient.Check{T}"/> refuses
/// answers that do not fit, so no face can store an answer to a question the patient was not asked.
/// </summary>
public static class PreVisitChecklist
{
    /// <summary>
    /// The questions for <paramref name="patient"/>. Pregnancy is asked whenever the chart leaves it possible, as the
    /// eligibility rules do for the pregnancy test (Cohen 2018: pregnancy — avoid): not for a patient recorded as male,
    /// nor for one whose latest pregnancy status says not of childbearing potential; asked when sex or status is unknown.
    /// </summary>
    public static PreVisitQuestions For(Patient patient)
    {
        ArgumentNullException.ThrowIfNull(patient);
        return new PreVisitQuestions(patient.Snapshot().PregnancyTestApplicable);
    }

    /// <summary>
    /// Checks that <paramref name="answers"/> answer exactly the questions asked: a pregnancy answer is required where the
    /// question applies (<see cref="FindingCodes.PortalPregnancyRequired"/>) and refused where it does not
    /// (<see cref="FindingCodes.PortalPregnancyNotAsked"/>).
    /// </summary>
    public static Outcome Check(PreVisitQuestions questions, PreVisitAnswers answers)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(answers);
        var field = FindingArg.Of("field", "possiblyPregnant");
        return (questions.Pregnancy, answers.PossiblyPregnant) switch
        {
            (true, null) => new Refusal("possiblyPregnant: answer yes or no; the question applies to this patient.", [Finding.Refused(FindingCodes.PortalPregnancyRequired, field)]),
            (false, not null) => new Refusal("possiblyPregnant: the question does not apply to this patient; leave it out.", [Finding.Refused(FindingCodes.PortalPregnancyNotAsked, field)]),
            _ => Outcome.Ok(),
        };
    }
}
