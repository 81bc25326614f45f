using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using Microsoft.EntityFrameworkCore;

namespace KetaCare.Clinic.Tests.Persistence;

/// <summary>
/// Versioned clinic settings (the alert thresholds) through <see cref="SettingsService"/>, on a real SQLite file
/// and on PostgreSQL like the storage suite.
/// </summary>
public abstract class SettingsStoreTests
{
    private static readonly UserId Admin = new(Guid.Parse("00000000-0000-0000-0000-0000000000ad"));
    private readonly TestClock _clock = Build.Clock();

    protected abstract Task<TestDatabase> CreateAsync();

    [Fact]
    public async Task AlertThresholds_NeverStored_AreTheDefaultsAtVersion0()
    {
        await using var t = await MigratedAsync();
        await using var db = t.Database.Open(Admin, _clock);

        var (thresholds, version) = await new SettingsService(db, _clock).AlertThresholdsAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, version);
        Assert.Equal(AlertThresholds.Default.SpO2Below, thresholds.SpO2Below);
        Assert.Empty(await new SettingsService(db, _clock).HistoryAsync(SettingsService.AlertThresholdsKey, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task InvestigationSettings_RevisedAsVersions_ReadBackInForce_OutOfRangeAndStaleRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        await using var db = t.Database.Open(Admin, _clock);
        var service = new SettingsService(db, _clock);
        var (initial, v0) = await service.InvestigationSettingsAsync(ct);
        Assert.Equal((0, 40.0), (v0, initial.RangeOf(Patients.LabTest.Alt).Upper));

        var bad = await service.ReviseInvestigationSettingsAsync(new Dictionary<string, double> { ["ecgValidDays"] = 5 }, 0, "typo", Admin, ct);
        Assert.Equal("ecgValidDays: 5 is outside the allowed range 30 to 730 days.", bad.Error);
        Assert.Empty(await service.HistoryAsync(SettingsService.InvestigationSettingsKey, ct));

        var saved = await service.ReviseInvestigationSettingsAsync(new Dictionary<string, double> { ["altUpper"] = 56, ["qtcReviewMs"] = 480 }, 0, "our laboratory's ranges", Admin, ct);
        Assert.True(saved.IsSuccess, saved.IsSuccess ? null : saved.Error);
        var (inForce, v1) = await service.InvestigationSettingsAsync(ct);
        Assert.Equal((1, 56.0, 480.0, 365), (v1, inForce.RangeOf(Patients.LabTest.Alt).Upper, inForce.QtcReviewMs, inForce.EcgValidDays));

        // Only the fields given change; the rest stay as in force.
        Assert.True((await service.ReviseInvestigationSettingsAsync(new Dictionary<string, double> { ["ecgValidDays"] = 180 }, 1, "yearly is too rare", Admin, ct)).IsSuccess);
        var (second, v2) = await service.InvestigationSettingsAsync(ct);
        Assert.Equal((2, 56.0, 180), (v2, second.RangeOf(Patients.LabTest.Alt).Upper, second.EcgValidDays));

        var stale = await service.ReviseInvestigationSettingsAsync(new Dictionary<string, double> { ["ecgValidDays"] = 200 }, 1, "x", Admin, ct);
        Assert.Equal([Findings.FindingCodes.VersionConflict], stale.Findings.Select(f => f.Code));
    }

    [Fact]
    public async Task PkThresholds_RevisedWithinTheirRanges_AreTheDrugLibraryInForce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        await using var db = t.Database.Open(Admin, _clock);
        var service = new SettingsService(db, _clock);
        var initial = await service.DrugLibraryAsync(ct);
        Assert.Equal((Dosing.DrugLibrary.Default.Version, Dosing.PkThresholds.Default), (initial.Version, initial.Pk));

        var tooHigh = await service.RevisePkThresholdsAsync(300, 1500, 0, "anaesthetic peaks", Admin, ct);
        Assert.Equal("hardPeak: 1500 ng/mL is outside the allowed range 70 to 1200 ng/mL (the bottom of the anaesthesia range, Zanos 2018, can only be lowered).", tooHigh.Error);
        var softAboveHard = await service.RevisePkThresholdsAsync(900, 800, 0, "x", Admin, ct);
        Assert.StartsWith("softPeak: 900 ng/mL is outside the allowed range 70 to 800 ng/mL", softAboveHard.Error, StringComparison.Ordinal);
        Assert.Equal(["value=1500 ng/mL", "min=70", "max=1200 ng/mL"], tooHigh.Findings.Single(f => f.Code == Findings.FindingCodes.SettingHardPeakOutOfRange).Args.Select(x => x.Name + "=" + x.Invariant()));
        Assert.Equal(["value=900 ng/mL", "min=70", "max=800 ng/mL"], softAboveHard.Findings.Single(f => f.Code == Findings.FindingCodes.SettingSoftPeakOutOfRange).Args.Select(x => x.Name + "=" + x.Invariant()));
        var noReason = await service.RevisePkThresholdsAsync(300, 1000, 0, " ", Admin, ct);
        Assert.Equal("reason: a reason of 1 to 500 characters is required for every change of a clinic setting.", noReason.Error);
        Assert.Equal(["field=reason", "max=500"], noReason.Findings.Single(f => f.Code == Findings.FindingCodes.SettingReasonRequired).Args.Select(x => x.Name + "=" + x.Invariant()));
        Assert.Empty(await service.HistoryAsync(SettingsService.PkThresholdsKey, ct));

        var saved = await service.RevisePkThresholdsAsync(300, 1000, 0, "pharmacy review 2026", Admin, ct);
        Assert.True(saved.IsSuccess, saved.Error);
        var library = await service.DrugLibraryAsync(ct);
        Assert.Equal((300, 1000), (library.Pk.SoftPeakNgPerMl, library.Pk.HardPeakNgPerMl));
        Assert.Equal("drugs-2026.1+pk-thresholds.v1", library.Version);
        Assert.Contains("pharmacy review 2026", library.Pk.Source.Reference, StringComparison.Ordinal);
        Assert.Equal(Dosing.DrugLibrary.Default.Preparations, library.Preparations);
        Assert.StartsWith("pk-thresholds: version 1 was saved by someone else", (await service.RevisePkThresholdsAsync(250, 1200, 0, "stale", Admin, ct)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClinicIdentity_NotSetThenRevised_IsReadBackVersionedAndBadFieldsAreRefusedNamingThem()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        await using var db = t.Database.Open(Admin, _clock);
        var service = new SettingsService(db, _clock);
        var (none, zero) = await service.ClinicIdentityAsync(ct);
        Assert.Equal(0, zero);
        Assert.False(none.IsSet);

        var clinic = new Clinics.ClinicIdentity("  Ağrı Kliniği  ", "Hastane Cad. 1\nAnkara", "+90 312 000 00 00", "+90 555 000 00 00 (24 h)", "TİTCK (Türkiye)");
        Assert.StartsWith("name:", (await service.ReviseClinicIdentityAsync(clinic with { Name = new string('x', 201) }, 0, "opening", Admin, ct)).Error, StringComparison.Ordinal);
        Assert.StartsWith("phone:", (await service.ReviseClinicIdentityAsync(clinic with { Phone = "012\u202E345" }, 0, "opening", Admin, ct)).Error, StringComparison.Ordinal);
        Assert.StartsWith("regulator:", (await service.ReviseClinicIdentityAsync(clinic with { Regulator = " " }, 0, "opening", Admin, ct)).Error, StringComparison.Ordinal);
        Assert.Empty(await service.HistoryAsync(SettingsService.ClinicIdentityKey, ct));

        Assert.True((await service.ReviseClinicIdentityAsync(clinic, 0, "opening", Admin, ct)).IsSuccess);
        var (stored, version) = await service.ClinicIdentityAsync(ct);

        Assert.Equal(1, version);
        Assert.Equal(clinic with { Name = "Ağrı Kliniği" }, stored);
        Assert.True(stored.IsSet);
        Assert.Equal("Ağrı Kliniği · Hastane Cad. 1, Ankara · +90 312 000 00 00", stored.Letterhead);
        Assert.StartsWith("clinic-identity: version 1 was saved by someone else", (await service.ReviseClinicIdentityAsync(clinic, 0, "stale", Admin, ct)).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviseAlertThresholds_ThenReadBack_GivesTheNewValuesAndTheHistory()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        await using (var db = t.Database.Open(Admin, _clock))
        {
            var first = await new SettingsService(db, _clock).ReviseAlertThresholdsAsync(AlertThresholds.Default with { SystolicAbove = 170 }, 0, "clinic policy 2026", Admin, ct);
            Assert.True(first.IsSuccess, first.Error);
            _clock.Advance(TimeSpan.FromDays(1));
            var second = await new SettingsService(db, _clock).ReviseAlertThresholdsAsync(AlertThresholds.Default with { SystolicAbove = 170, SpO2Below = 94 }, 1, "stricter SpO2 after review", Admin, ct);
            Assert.True(second.IsSuccess, second.Error);
            Assert.Equal(2, second.Value.Version);
        }

        await using var check = t.Database.Open(Admin, _clock);
        var service = new SettingsService(check, _clock);
        var (thresholds, version) = await service.AlertThresholdsAsync(ct);
        Assert.Equal(2, version);
        Assert.Equal(170, thresholds.SystolicAbove);
        Assert.Equal(94, thresholds.SpO2Below);
        Assert.Equal(AlertThresholds.Default.HeartRateAbove, thresholds.HeartRateAbove);
        Assert.Contains("stricter SpO2 after review", thresholds.Source.Reference, StringComparison.Ordinal);
        Assert.Equal(94, (await service.SessionSettingsAsync(ct)).Alerts.SpO2Below);

        var history = await service.HistoryAsync(SettingsService.AlertThresholdsKey, ct);
        Assert.Equal([1, 2], history.Select(h => h.Version));
        Assert.Equal(["clinic policy 2026", "stricter SpO2 after review"], history.Select(h => h.Reason));
        Assert.All(history, h => Assert.Equal(Admin, h.CreatedBy));
        Assert.Equal(Build.Start.AddDays(1), history[1].CreatedAt);
    }

    [Fact]
    public async Task ReviseAlertThresholds_AgainstAStaleVersion_IsRefusedAndNothingIsWritten()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        await using var db = t.Database.Open(Admin, _clock);
        var service = new SettingsService(db, _clock);
        Assert.True((await service.ReviseAlertThresholdsAsync(AlertThresholds.Default with { HeartRateAbove = 120 }, 0, "first", Admin, ct)).IsSuccess);
        var before = await db.AuditEvents.CountAsync(ct);

        // A second administrator opened the form at version 0, before the first revision was saved.
        var stale = await service.ReviseAlertThresholdsAsync(AlertThresholds.Default with { HeartRateAbove = 140 }, 0, "second", Admin, ct);

        Assert.False(stale.IsSuccess);
        Assert.Contains("version 1 was saved by someone else after version 0", stale.Error, StringComparison.Ordinal);
        Assert.Equal(120, (await service.AlertThresholdsAsync(ct)).Thresholds.HeartRateAbove);
        Assert.Single(await service.HistoryAsync(SettingsService.AlertThresholdsKey, ct));
        Assert.Equal(before, await db.AuditEvents.CountAsync(ct));
    }

    [Theory]
    [InlineData("spo2Below", 75, "80 to 99")]
    [InlineData("systolicAbove", 260, "120 to 250")]
    [InlineData("rassAtOrBelow", 0, "-5 to -1")]
    public async Task ReviseAlertThresholds_OutOfRange_IsRefusedNamingTheFieldAndRange(string field, int value, string range)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        await using var db = t.Database.Open(Admin, _clock);
        var thresholds = field switch
        {
            "spo2Below" => AlertThresholds.Default with { SpO2Below = value },
            "systolicAbove" => AlertThresholds.Default with { SystolicAbove = value },
            _ => AlertThresholds.Default with { RassAtOrBelow = value },
        };

        var r = await new SettingsService(db, _clock).ReviseAlertThresholdsAsync(thresholds, 0, "typo", Admin, ct);

        Assert.False(r.IsSuccess);
        Assert.StartsWith(field + ":", r.Error, StringComparison.Ordinal);
        Assert.Contains(range, r.Error, StringComparison.Ordinal);
        Assert.Equal(0, await db.Settings.CountAsync(ct));
    }

    [Fact]
    public async Task ReviseAlertThresholds_WithoutAReason_IsRefused()
    {
        await using var t = await MigratedAsync();
        await using var db = t.Database.Open(Admin, _clock);

        var r = await new SettingsService(db, _clock).ReviseAlertThresholdsAsync(AlertThresholds.Default, 0, "  ", Admin, TestContext.Current.CancellationToken);

        Assert.False(r.IsSuccess);
        Assert.StartsWith("reason:", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviseAlertThresholds_WritesOneChainedAuditEventByTheAdministrator()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var t = await MigratedAsync();
        await using var db = t.Database.Open(Admin, _clock);

        Assert.True((await new SettingsService(db, _clock).ReviseAlertThresholdsAsync(AlertThresholds.Default with { DiastolicAbove = 100 }, 0, "policy", Admin, ct)).IsSuccess);

        var e = Assert.Single(await db.AuditEvents.AsNoTracking().ToListAsync(ct));
        Assert.Equal("create", e.Action);
        Assert.Equal("settings", e.EntityType);
        Assert.Equal(Admin, e.UserId);
        Assert.Contains(SettingsService.AlertThresholdsKey, e.EntityId, StringComparison.Ordinal);
        Assert.True((await AuditChain.VerifyAsync(db, ct)).IsIntact);
    }

    private async Task<TestDatabase> MigratedAsync()
    {
        var t = await CreateAsync();
        await t.Database.MigrateAsync(TestContext.Current.CancellationToken);
        return t;
    }
}

public sealed class SqliteSettingsStoreTests : SettingsStoreTests
{
    protected override Task<TestDatabase> CreateAsync() => Task.FromResult<TestDatabase>(new SqliteTestDatabase());
}

public sealed class PostgresSettingsStoreTests : SettingsStoreTests
{
    protected override async Task<TestDatabase> CreateAsync() => await PostgresTestDatabase.CreateAsync();
}
