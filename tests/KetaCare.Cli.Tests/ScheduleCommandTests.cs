namespace KetaCare.Cli.Tests;

/// <summary><c>ketacare schedule</c> on a seeded SQLite file: chairs, booking, a refused double booking, the day, cancellation, proposals and the .ics file.</summary>
public sealed class ScheduleCommandTests : IDisposable
{
    private const string Nurse = "00000000-0000-0000-0000-0000000000b1";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "ketacare-cli-" + Guid.NewGuid().ToString("N"));

    public ScheduleCommandTests()
    {
        Assert.Equal(0, Cli.Run("db", "migrate", "--database", DbPath).ExitCode);
        Assert.Equal(0, Cli.Run("db", "seed", "--database", DbPath).ExitCode);
    }

    private string DbPath => Path.Combine(_folder, "clinic.db");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Schedule_BookConflictDayCancelIcs_ThroughTheService()
    {
        string[] Db(params string[] args) => [.. args, "--by", Nurse, "--database", DbPath, "--time-zone", "Europe/Istanbul"];
        Assert.Equal(0, Cli.Run(Db("schedule", "add-chair", "--name", "Chair 1")).ExitCode);
        Assert.Equal(0, Cli.Run(Db("schedule", "add-chair", "--name", "Chair 2")).ExitCode);
        Assert.Equal(["C1", "C2", "C3", "Chair 1", "Chair 2"], Rows(Cli.Run(Db("schedule", "chairs"))).Select(r => r[0]));

        // Monday 2 March 2099, 09:00 in Istanbul.
        var booked = Cli.Run(Db("schedule", "book", "--record", "DEMO-0001", "--chair", "Chair 1", "--start", "2099-03-02T09:00", "--email", "patient@example.org", "--language", "tr"));
        Assert.True(booked.ExitCode == 0, booked.Error);
        Assert.StartsWith("booked DEMO-0001 in Chair 1 on 2099-03-02 09:00–", booked.Out, StringComparison.Ordinal);
        var again = Cli.Run(Db("schedule", "book", "--record", "DEMO-0001", "--chair", "Chair 2", "--start", "2099-03-02T09:30"));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("[schedule.patient-double-booked]", again.Error, StringComparison.Ordinal);
        var closed = Cli.Run(Db("schedule", "book", "--record", "DEMO-0001", "--chair", "Chair 2", "--start", "2099-03-01T09:00"));
        Assert.Contains("[schedule.outside-hours]", closed.Error, StringComparison.Ordinal);

        var row = Assert.Single(Rows(Cli.Run(Db("schedule", "day", "--day", "2099-03-02"))));
        Assert.Equal(("09:00", "Chair 1", "DEMO-0001", "Booked"), (row[1], row[3], row[4], row[5]));
        var reminders = Rows(Cli.Run(Db("schedule", "outbox")));
        Assert.Equal(3, reminders.Count); // 48 h, 24 h and checklist reminders
        Assert.All(reminders, r => Assert.Equal("NotSendable", r[4])); // the booking's address, but no consent on the chart
        var proposed = Cli.Run(Db("schedule", "propose", "--record", "DEMO-0001")).OutLines;
        Assert.NotEmpty(proposed);

        using var ics = Cli.TempFile(".ics");
        Assert.Equal(0, Cli.Run(Db("schedule", "ics", "--record", "DEMO-0001", "--out", ics.Path)).ExitCode);
        var calendar = Ical.Net.Calendar.Load(File.ReadAllText(ics.Path))!;
        Assert.Contains(calendar.Events, e => e.Uid == row[7] + "@ketacare" && e.DtStart!.AsUtc == new DateTime(2099, 3, 2, 6, 0, 0, DateTimeKind.Utc));

        var cancelled = Cli.Run(Db("schedule", "cancel", "--appointment", row[7], "--version", row[6], "--reason", "patient asked to move it"));
        Assert.True(cancelled.ExitCode == 0, cancelled.Error);
        Assert.Contains("Cancelled", Cli.Run(Db("schedule", "day", "--day", "2099-03-02")).Out, StringComparison.Ordinal);
        Assert.All(Rows(Cli.Run(Db("schedule", "outbox"))), r => Assert.Equal("Cancelled", r[4]));
    }

    // The plain table: a header, a dashed line, then columns two or more spaces apart.
    private static List<string[]> Rows(CliRun run) => [.. run.OutLines.Skip(2).Select(l => System.Text.RegularExpressions.Regex.Split(l, "  +"))];
}
