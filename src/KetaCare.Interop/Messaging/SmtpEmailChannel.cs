using KetaCare.Clinic.Messaging;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace KetaCare.Interop.Messaging;

/// <summary>
/// Where e-mail goes: an SMTP server (<c>KetaCare:Smtp</c> in configuration). The password comes from the environment
/// or a secret store (<c>KetaCare__Smtp__Password</c>), never from a file in the repository.
/// </summary>
public sealed record SmtpSettings
{
    /// <summary>Server host name; empty when e-mail is not configured (messages are then set aside as not configured).</summary>
    public string Host { get; init; } = string.Empty;

    /// <summary>Server port (587 for submission with STARTTLS, 465 for TLS on connect, 25 for a relay).</summary>
    public int Port { get; init; } = 587;

    /// <summary>"StartTls" (default; refuses a server without it), "SslOnConnect", "Auto" or "None" (a local relay or test sink only).</summary>
    public string Security { get; init; } = "StartTls";

    /// <summary>User name for authentication; empty for none.</summary>
    public string UserName { get; init; } = string.Empty;

    /// <summary>Password for authentication; set through the environment, never committed.</summary>
    public string Password { get; init; } = string.Empty;

    /// <summary>The From address.</summary>
    public string FromAddress { get; init; } = string.Empty;

    /// <summary>The From display name.</summary>
    public string FromName { get; init; } = "KetaCare";

    /// <summary>How long one attempt may take, seconds.</summary>
    public int TimeoutSeconds { get; init; } = 30;

    /// <summary>True when a host and a From address are set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(FromAddress);
}

/// <summary>
/// Sends outbox e-mails through an SMTP server with MailKit, one connection per message. Every attempt of a message
/// carries the outbox's Message-Id, so a resend after a crash is the same message to the mail systems. Thread-safe.
/// </summary>
/// <param name="settings">The server.</param>
public sealed class SmtpEmailChannel(SmtpSettings settings) : IMessageChannel
{
    /// <inheritdoc/>
    public MessageChannel Channel => MessageChannel.Email;

    /// <inheritdoc/>
    public async Task SendAsync(OutboxMessage message, RenderedMessage text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(text);
        if (!settings.IsConfigured)
        {
            throw new ChannelNotConfiguredException("e-mail: no SMTP server is configured (KetaCare:Smtp:Host and FromAddress).");
        }

        using var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(settings.FromName, settings.FromAddress));
        mime.To.Add(MailboxAddress.Parse(message.Recipient));
        mime.Subject = text.Subject;
        mime.MessageId = message.MessageId;
        var body = new TextPart("plain") { Text = text.Body };
        body.Headers.Add(HeaderId.ContentLanguage, message.Language);
        mime.Body = body;

        using var client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        await client.ConnectAsync(settings.Host, settings.Port, Security(settings.Security), cancellationToken).ConfigureAwait(false);
        if (!string.IsNullOrEmpty(settings.UserName))
        {
            await client.AuthenticateAsync(settings.UserName, settings.Password, cancellationToken).ConfigureAwait(false);
        }

        await client.SendAsync(mime, cancellationToken).ConfigureAwait(false);
        await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
    }

    private static SecureSocketOptions Security(string name) => name switch
    {
        "None" => SecureSocketOptions.None,
        "SslOnConnect" => SecureSocketOptions.SslOnConnect,
        "Auto" => SecureSocketOptions.Auto,
        _ => SecureSocketOptions.StartTls,
    };
}
