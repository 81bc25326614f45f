using KetaCare.Interop.Text;
using Microsoft.Extensions.Localization;
using System.Globalization;
using KetaCare.Clinic;
using KetaCare.Clinic.Patients;
using KetaCare.Clinic.Persistence;
using KetaCare.Pharmacology.Units;
using KetaCare.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Web.Pages.Patients;

/// <summary>
/// Form values of the patient pages that are not numbers with decimals (those go through <see cref="WebNumber"/>):
/// dates as the HTML date input sends them, whole-number scores, enum choices. Errors name the field and what is allowed.
/// </summary>
public static class PatientInput
{
    /// <summary>A date written yyyy-MM-dd (what a date input sends in every browser language).</summary>
    public static bool TryDate(string? text, string field, out DateOnly date, out string? error)
    {
        if (DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            error = null;
            return true;
        }

        error = string.IsNullOrWhiteSpace(text)
            ? $"{field}: required; write YYYY-MM-DD, e.g. 2024-09-01."
            : $"{field}: \"{text.Trim()}\" is not a date; write YYYY-MM-DD, e.g. 2024-09-01.";
        return false;
    }

    /// <summary>An optional date: blank is null.</summary>
    public static bool TryOptionalDate(string? text, string field, out DateOnly? date, out string? error)
    {
        date = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!TryDate(text, field, out var d, out error))
        {
            return false;
        }

        date = d;
        return true;
    }

    /// <summary>A whole number in a range (scores such as NRS 0–10); "7,5" is refused rather than rounded.</summary>
    public static bool TryWhole(string? text, string field, int min, int max, out int value, out string? error) =>
        WebNumber.TryParseWhole(text, field, min, max, out value, out error);

    /// <summary>
    /// The items of a BPI short form as typed: worst, least, average and now, then the seven interference items
    /// (<see cref="OutcomesModel.InterferenceItems"/>), each a whole number 0–10; the error names the first bad item in
    /// the reader's language.
    /// </summary>
    public static bool TryBpi(string? worst, string? least, string? average, string? now, IReadOnlyList<string?> interference, IStringLocalizer T, out int[] severity, out int[] items, out string? error)
    {
        ArgumentNullException.ThrowIfNull(interference);
        ArgumentNullException.ThrowIfNull(T);
        severity = new int[4];
        items = new int[OutcomesModel.InterferenceItems.Count];
        error = null;
        var names = new[] { ("Worst pain", worst), ("Least pain", least), ("Average pain", average), ("Pain now", now) };
        for (var i = 0; i < names.Length && error is null; i++)
        {
            TryWhole(names[i].Item2, T[names[i].Item1], 0, 10, out severity[i], out error);
        }

        for (var i = 0; i < items.Length && error is null; i++)
        {
            TryWhole(i < interference.Count ? interference[i] : null, T[OutcomesModel.InterferenceItems[i]], 0, 10, out items[i], out error);
        }

        return error is null;
    }

    /// <summary>
    /// A dated weight (kg, required) and height (cm, optional) as typed, in the ranges the domain accepts; the
    /// measurement itself is built by <see cref="BodyMeasurement.Create"/>.
    /// </summary>
    public static Outcome<BodyMeasurement> Measurement(DateOnly measuredOn, string? weightKg, string? heightCm, IStringLocalizer<Strings> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (!WebNumber.TryParse(weightKg, texts["Weight (kg)"], BodyWeight.MinKilograms, BodyWeight.MaxKilograms, out var kg, out var error))
        {
            return new Refusal(error!);
        }

        double? height = null;
        if (!string.IsNullOrWhiteSpace(heightCm))
        {
            if (!WebNumber.TryParse(heightCm, texts["Height (cm)"], BodyMeasurement.MinHeightCm, BodyMeasurement.MaxHeightCm, out var h, out error))
            {
                return new Refusal(error!);
            }

            height = h;
        }

        return BodyMeasurement.Create(measuredOn, kg, height);
    }

    /// <summary>An enum value posted by a select (its name); an error lists the allowed names.</summary>
    public static bool TryChoice<T>(string? text, string field, out T value, out string? error)
        where T : struct, Enum
    {
        if (!string.IsNullOrWhiteSpace(text) && Enum.TryParse(text.Trim(), ignoreCase: false, out value) && Enum.IsDefined(value))
        {
            error = null;
            return true;
        }

        value = default;
        error = $"{field}: choose one of {string.Join(", ", Enum.GetNames<T>())}.";
        return false;
    }


    /// <summary>Display names of the clinic's users, for "recorded by" columns; an unknown id shows as the id.</summary>
    public static async Task<IReadOnlyDictionary<UserId, string>> UserNamesAsync(KetaCareDbContext db, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var users = await db.Users.AsNoTracking().Select(u => new { u.Id, u.DisplayName }).ToListAsync(cancellationToken).ConfigureAwait(false);
        return users.ToDictionary(u => new UserId(u.Id), u => u.DisplayName);
    }

    /// <summary>The name of <paramref name="id"/> in <paramref name="names"/>, else the id.</summary>
    public static string Name(this IReadOnlyDictionary<UserId, string> names, UserId id) =>
        names is not null && names.TryGetValue(id, out var n) && !string.IsNullOrWhiteSpace(n) ? n : id.ToString();
}
