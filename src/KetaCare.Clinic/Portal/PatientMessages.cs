namespace KetaCare.Clinic.Portal;

/// <summary>What became of a message to a patient.</summary>
/// <param name="Sent">True when a sender took the message for delivery.</param>
/// <param name="Channel">How it went ("e-mail", …), or "none" when no sender is configured.</param>
/// <param name="Detail">A line for the audit log: where it went, or why it did not go.</param>
public sealed record PatientMessageResult(bool Sent, string Channel, string Detail)
{
    /// <summary>The result of the default: nothing was sent, staff hand the link over themselves.</summary>
    public static PatientMessageResult NoSender { get; } = new(false, "none", "no sender configured; the link is shown to staff to hand over");
}

/// <summary>An invitation to the patient portal, as a message sender needs it.</summary>
/// <param name="Patient">The patient invited.</param>
/// <param name="DisplayName">The patient's name as the message addresses them.</param>
/// <param name="UserName">The sign-in name of the new account.</param>
/// <param name="Link">The one-time link that sets the password; it carries the secret, so a sender never logs it.</param>
/// <param name="ExpiresAt">When the link stops working (UTC).</param>
/// <param name="Email">The patient's e-mail address staff gave for this invitation, or null (then only staff hand the link over).</param>
/// <param name="Language">The message's language, "en" or "tr".</param>
public sealed record PortalInvitationMessage(PatientId Patient, string DisplayName, string UserName, Uri Link, DateTimeOffset ExpiresAt, string? Email = null, string Language = "en");

/// <summary>
/// The one seam through which the clinic sends messages to patients (the portal invitation today). The default,
/// <see cref="UnconfiguredPatientMessages"/>, sends nothing and says so; a host that has an outgoing mail or SMS channel
/// registers its own implementation in place of it (dependency injection), and the invitation workflow records
/// whatever it answers in the audit log. Implementations must not log the link: it is a password-setting secret.
/// </summary>
public interface IPatientMessages
{
    /// <summary>Hands the invitation to a sender; never throws for a delivery failure (the result says so).</summary>
    Task<PatientMessageResult> SendInvitationAsync(PortalInvitationMessage message, CancellationToken cancellationToken = default);
}

/// <summary>The default sender: none configured. Staff copy the link shown to them and hand it to the patient.</summary>
public sealed class UnconfiguredPatientMessages : IPatientMessages
{
    /// <inheritdoc/>
    public Task<PatientMessageResult> SendInvitationAsync(PortalInvitationMessage message, CancellationToken cancellationToken = default) =>
        Task.FromResult(PatientMessageResult.NoSender);
}
