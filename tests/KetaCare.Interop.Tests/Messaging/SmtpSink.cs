using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using KetaCare.Tests;
using MimeKit;

namespace KetaCare.Interop.Tests.Messaging;

/// <summary>
/// A real SMTP server for the e-mail tests: the one CI starts (KETACARE_TEST_SMTP=host:port with its maildir in
/// KETACARE_TEST_MAILDIR), else one of the test's own — Debian's aiosmtpd with its Mailbox handler writing a maildir
/// in a temporary folder, stopped when disposed. Without either the test is skipped with the reason (failed under
/// KETACARE_REQUIRE_ALL=1). The maildir may hold other tests' mail: read it by recipient.
/// </summary>
internal sealed class SmtpSink : IDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly Process? _process;

    private SmtpSink(string host, int port, string maildir, Process? process)
    {
        Host = host;
        Port = port;
        Maildir = maildir;
        _process = process;
    }

    public string Host { get; }

    public int Port { get; }

    public string Maildir { get; }

    public static async Task<SmtpSink> StartAsync()
    {
        var shared = Environment.GetEnvironmentVariable("KETACARE_TEST_SMTP");
        var sharedMaildir = Environment.GetEnvironmentVariable("KETACARE_TEST_MAILDIR");
        if (!string.IsNullOrEmpty(shared) && !string.IsNullOrEmpty(sharedMaildir))
        {
            var colon = shared.LastIndexOf(':');
            return new SmtpSink(shared[..colon], int.Parse(shared[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), sharedMaildir, null);
        }

        if (!File.Exists(Python) || !HasAiosmtpd())
        {
            Prerequisite.Missing("no SMTP server: KETACARE_TEST_SMTP and KETACARE_TEST_MAILDIR are not set and Debian's aiosmtpd is not installed (apt-get install python3-aiosmtpd)", "SMTP tests");
        }

        var port = FreePort();
        var maildir = Path.Combine(Path.GetTempPath(), "ketacare-mail-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(Python) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", maildir })
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("aiosmtpd did not start.");
        var sink = new SmtpSink("127.0.0.1", port, maildir, process);
        for (var i = 0; i < 100 && !await sink.ListensAsync(); i++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return sink;
    }

    /// <summary>A TCP port nothing listens on (taken and released at once).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>The messages delivered to <paramref name="recipient"/>, in the order the server wrote them.</summary>
    public IReadOnlyList<MimeMessage> MessagesTo(string recipient)
    {
        var folder = Path.Combine(Maildir, "new");
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return [.. Directory.GetFiles(folder)
            .Select(f => (File: f, Written: File.GetLastWriteTimeUtc(f)))
            .OrderBy(f => f.Written)
            .ThenBy(f => f.File, StringComparer.Ordinal)
            .Select(f => MimeMessage.Load(f.File))
            .Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, recipient, StringComparison.OrdinalIgnoreCase)))];
    }

    /// <summary>Waits up to 10 s for <paramref name="count"/> messages to <paramref name="recipient"/> (the server writes after it answers).</summary>
    public async Task<IReadOnlyList<MimeMessage>> WaitForAsync(string recipient, int count)
    {
        for (var i = 0; i < 100; i++)
        {
            var found = MessagesTo(recipient);
            if (found.Count >= count)
            {
                return found;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        return MessagesTo(recipient);
    }

    public void Dispose()
    {
        if (_process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        if (Directory.Exists(Maildir))
        {
            Directory.Delete(Maildir, recursive: true);
        }
    }

    private static bool HasAiosmtpd()
    {
        using var p = Process.Start(new ProcessStartInfo(Python, ["-c", "import aiosmtpd"]) { RedirectStandardError = true, RedirectStandardOutput = true });
        p!.WaitForExit(10_000);
        return p.ExitCode == 0;
    }

    private async Task<bool> ListensAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(Host, Port, TestContext.Current.CancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
