namespace KetaCare.Clinic.Stock;

/// <summary>
/// The clinic's settings of the controlled-substance register (clinic setting <c>stock-settings</c>, versioned and
/// audited like every clinic setting).
/// </summary>
/// <param name="RequirePreparation">
/// True: an infusion starts only with a recorded preparation at the pump program's concentration; false: it may start
/// without one. Null (never set): required as soon as the clinic keeps the register — when it has received stock — so a
/// clinic that does not use the register is not affected and one that does is protected without a further step.
/// </param>
/// <param name="Template">The jurisdiction's register template (<see cref="RegisterTemplate.Id"/>); null: <see cref="RegisterTemplate.UsDea"/>.</param>
public sealed record StockSettings(bool? RequirePreparation, string? Template = null)
{
    /// <summary>Never set: the preparation required once stock is received; the US DEA template.</summary>
    public static StockSettings Default { get; } = new((bool?)null);

    /// <summary>The register template in force.</summary>
    public RegisterTemplate RegisterTemplate => RegisterTemplate.Find(Template) ?? RegisterTemplate.UsDea;

    /// <summary>Whether a start needs a recorded preparation, given whether the clinic has received stock.</summary>
    public bool RequiresPreparation(bool keepsRegister) => RequirePreparation ?? keepsRegister;
}
