using System.Net;
using KetaCare.Clinic;
using KetaCare.Clinic.Dosing;
using KetaCare.Clinic.Persistence;
using KetaCare.Clinic.Protocols;
using KetaCare.Clinic.Services;
using KetaCare.Clinic.Sessions;
using KetaCare.Clinic.Users;
using KetaCare.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace KetaCare.Web.Tests.Admin;

/// <summary>The administration pages on the real app: accounts, protocol library, drug library, alert thresholds.</summary>
public sealed class AdminTests : IClassFixture<PlatformTests.App>
{
    private static readonly Guid AdminId = Startup.DemoAccounts.Single(a => a.UserName == "admin").Id.Value;
    private readonly WebAppFactory _app;

    public AdminTests(PlatformTests.App app) => _app = app.Factory;

    [Fact]
    public async Task CreateAccount_Nurse_CanThenSignInAndIsANurse_AndTheCreationIsAudited()
    {
        var admin = await _app.SignedInAsync("admin");

        var created = await admin.PostFormAsync("/Admin/Users", new()
        {
            ["NewUserName"] = "nurse.new",
            ["NewDisplayName"] = "Nurse Deniz Ak",
            ["NewPassword"] = "a fresh passphrase",
            ["NewRoles"] = ClinicRoles.Nurse,
        }, "/Admin/Users?handler=Create");

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var list = await admin.GetStringAsync("/Admin/Users");
        Assert.Contains("data-user=\"nurse.new\"", list, StringComparison.Ordinal);
        var nurse = await _app.SignedInAsync("nurse.new", "a fresh passphrase");
        Assert.Equal(HttpStatusCode.OK, (await nurse.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await nurse.GetAsync("/Admin")).StatusCode);

        await using var db = Database().Open();
        var account = await db.Users.SingleAsync(u => u.UserName == "nurse.new", TestContext.Current.CancellationToken);
        var e = await db.AuditEvents.SingleAsync(a => a.Action == "user-create" && a.EntityId == account.Id.ToString(), TestContext.Current.CancellationToken);
        Assert.Equal(AdminId, e.UserId.Value);
        Assert.DoesNotContain("a fresh passphrase", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAccount_ShortPassword_IsRefusedNamingThePasswordAndNothingIsStored()
    {
        var admin = await _app.SignedInAsync("admin");

        var r = await admin.PostFormAsync("/Admin/Users", new()
        {
            ["NewUserName"] = "short.pw",
            ["NewDisplayName"] = "Short Password",
            ["NewPassword"] = "tiny",
            ["NewRoles"] = ClinicRoles.Physician,
        }, "/Admin/Users?handler=Create");

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var html = await r.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"user-create-error\">password:", html, StringComparison.Ordinal);
        await using var db = Database().Open();
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "short.pw", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task CreateAccount_PostedByAPhysician_IsDeniedAndCreatesNothing()
    {
        var physician = await _app.SignedInAsync("physician");
        var token = FormPosts.AntiforgeryToken(await physician.GetStringAsync("/Account/ChangePassword"))!;

        var r = await physician.PostAsync("/Admin/Users?handler=Create", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["NewUserName"] = "sneaky",
            ["NewDisplayName"] = "Sneaky",
            ["NewPassword"] = "a long enough password",
            ["NewRoles"] = ClinicRoles.Admin,
        }));

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.StartsWith("/Account/Denied", r.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        await using var db = Database().Open();
        Assert.False(await db.Users.AnyAsync(u => u.UserName == "sneaky", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Roles_AdminRemovesOwnAdminRole_IsRefusedAndTheRoleStays()
    {
        var admin = await _app.SignedInAsync("admin");

        var r = await admin.PostFormAsync($"/Admin/Users/{AdminId}", new() { ["Roles"] = ClinicRoles.Physician }, $"/Admin/Users/{AdminId}?handler=Roles");

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("you cannot remove your own Admin role", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(ClinicRoles.Admin, await RolesAsync("admin"));
        Assert.DoesNotContain(ClinicRoles.Physician, await RolesAsync("admin"));
    }

    [Fact]
    public async Task Lock_OwnAccount_IsRefused()
    {
        var admin = await _app.SignedInAsync("admin");

        var r = await admin.PostFormAsync($"/Admin/Users/{AdminId}", [], $"/Admin/Users/{AdminId}?handler=Lock");

        Assert.Contains("lock: you cannot lock your own account.", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/Admin")).StatusCode);
    }

    [Fact]
    public async Task LockThenUnlock_AnotherAccount_StopsAndRestoresItsSignIn()
    {
        var admin = await _app.SignedInAsync("admin");
        var id = await CreateAsync("locked.nurse", ClinicRoles.Nurse);

        var locked = await admin.PostFormAsync($"/Admin/Users/{id}", [], $"/Admin/Users/{id}?handler=Lock");
        Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        Assert.Contains("data-testid=\"user-unlock\"", await admin.GetStringAsync($"/Admin/Users/{id}"), StringComparison.Ordinal);
        var refused = await _app.NewClient().PostFormAsync("/Account/SignIn", new() { ["UserName"] = "locked.nurse", ["Password"] = "a fresh passphrase" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);

        var unlocked = await admin.PostFormAsync($"/Admin/Users/{id}", [], $"/Admin/Users/{id}?handler=Unlock");
        Assert.Equal(HttpStatusCode.Redirect, unlocked.StatusCode);
        await _app.SignedInAsync("locked.nurse", "a fresh passphrase");
        await using var db = Database().Open();
        Assert.Equal(["user-lock", "user-unlock"], await db.AuditEvents.Where(a => a.EntityId == id.ToString()).OrderBy(a => a.Sequence).Select(a => a.Action).Skip(1).ToListAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task SetPassword_ByAdministrator_NewPasswordSignsIn()
    {
        var admin = await _app.SignedInAsync("admin");
        var id = await CreateAsync("forgetful", ClinicRoles.Physician);

        var r = await admin.PostFormAsync($"/Admin/Users/{id}", new() { ["NewPassword"] = "remembered at last" }, $"/Admin/Users/{id}?handler=Password");

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        await _app.SignedInAsync("forgetful", "remembered at last");
    }

    [Fact]
    public async Task AlertThresholds_Revised_AreStoredAndReadBackByTheSettingsService()
    {
        var admin = await _app.SignedInAsync("admin", Startup.DemoPassword);
        var page = await admin.GetStringAsync("/Admin/Alerts");
        var version = (await Settings()).Version;
        Assert.Contains($"name=\"ExpectedVersion\" value=\"{version}\"", page, StringComparison.Ordinal);

        var r = await admin.PostFormAsync("/Admin/Alerts", Thresholds(version, spo2: "94", reason: "stricter desaturation alarm"));

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var (thresholds, stored) = await Settings();
        Assert.Equal(version + 1, stored);
        Assert.Equal(94, thresholds.SpO2Below);

        // The revised threshold is what the alert rule now fires on (93 % alerts; the default 92 would not).
        await using var db = Database().Open();
        var settings = await new SettingsService(db, TimeProvider.System).SessionSettingsAsync(TestContext.Current.CancellationToken);
        var observation = Observation.Create(DateTimeOffset.UnixEpoch, 120, 80, 80, 93).Value;
        Assert.Contains(VitalSignAlerts.Evaluate(observation, settings.Alerts), a => a.Id == "spo2-low");
        Assert.DoesNotContain(VitalSignAlerts.Evaluate(observation, AlertThresholds.Default), a => a.Id == "spo2-low");
        Assert.Contains("stricter desaturation alarm", await admin.GetStringAsync("/Admin/Alerts"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AlertThresholds_AgainstAStaleVersion_AreRefusedAndNotStored()
    {
        var admin = await _app.SignedInAsync("admin");
        var (_, version) = await Settings();
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/Admin/Alerts", Thresholds(version, spo2: "93", reason: "first"))).StatusCode);

        var stale = await admin.PostFormAsync("/Admin/Alerts", Thresholds(version, spo2: "95", reason: "second, from an old form"));

        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Contains("alert-thresholds: changed by someone else since you opened it; nothing was saved", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var (thresholds, now) = await Settings();
        Assert.Equal(version + 1, now);
        Assert.Equal(93, thresholds.SpO2Below);
    }

    [Fact]
    public async Task AlertThresholds_OutOfRange_IsRefusedNamingTheField()
    {
        var admin = await _app.SignedInAsync("admin");
        var (_, version) = await Settings();

        var r = await admin.PostFormAsync("/Admin/Alerts", Thresholds(version, spo2: "70", reason: "typo"));

        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Contains("spo2Below: 70 is outside the allowed range 80 to 99.", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(version, (await Settings()).Version);
    }

    [Fact]
    public async Task Protocol_ReviseAboveTheHardLimit_IsRefusedNamingTheCeiling_ThenAValidRevisionIsVersion2()
    {
        var admin = await _app.SignedInAsync("admin");
        await admin.GetStringAsync("/Admin/Protocols/rema2012");
        var latest = await LatestAsync("rema2012");

        var tooHigh = await admin.PostFormAsync("/Admin/Protocols/rema2012", ProtocolFields(latest.Version, ceiling: "2,5"));
        var html = await tooHigh.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, tooHigh.StatusCode);
        Assert.Contains("ceiling: 2.5 mg/kg/h is outside the allowed range", html, StringComparison.Ordinal);
        Assert.Contains("Cohen", html, StringComparison.Ordinal);
        Assert.Equal(latest.Version, (await LatestAsync("rema2012")).Version);

        var ok = await admin.PostFormAsync("/Admin/Protocols/rema2012", ProtocolFields(latest.Version, ceiling: "0,4"));
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var revised = await LatestAsync("rema2012");
        Assert.Equal(latest.Version + 1, revised.Version);
        Assert.Equal(0.4, revised.Ceiling.Value);
        Assert.Contains("data-testid=\"protocol-version-row\"", await admin.GetStringAsync("/Admin/Protocols/rema2012"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Protocol_Orders_AddedEditedAndRemovedAsRevisions_HardMaximumRefusedNamingTheField()
    {
        var admin = await _app.SignedInAsync("admin");
        var latest = await LatestAsync("rema2012");
        var form = await admin.GetStringAsync("/Admin/Protocols/rema2012");
        Assert.Contains("Form.Orders[0].Drug", form, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"Form.Premedication\"", form, StringComparison.Ordinal);

        var fields = ProtocolFields(latest.Version, ceiling: "0,4");
        Order(fields, 0, "Midazolam", "Rescue", "iv", "6", "");
        var tooHigh = System.Net.WebUtility.HtmlDecode(await (await admin.PostFormAsync("/Admin/Protocols/rema2012", fields)).Content.ReadAsStringAsync());
        Assert.Contains("order 1 dose: 6 mg is outside the allowed range: greater than 0 and at most 5 mg", tooHigh, StringComparison.Ordinal);
        Assert.Equal(latest.Version, (await LatestAsync("rema2012")).Version);

        Order(fields, 0, "Midazolam", "Rescue", "iv", "1", "3");
        Order(fields, 1, "Ondansetron", "Premedication", "iv", "4", "");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/Admin/Protocols/rema2012", fields)).StatusCode);
        var added = await LatestAsync("rema2012");
        Assert.Equal(latest.Version + 1, added.Version);
        Assert.Equal(
            [new AncillaryOrder(AncillaryDrug.Midazolam, OrderPurpose.Rescue, 1, Pharmacology.Models.Route.Intravenous, 3), new AncillaryOrder(AncillaryDrug.Ondansetron, OrderPurpose.Premedication, 4, Pharmacology.Models.Route.Intravenous)],
            added.AncillaryOrders);
        Assert.Contains("(at most 3 mg per session)", await admin.GetStringAsync("/Admin/Protocols/rema2012"), StringComparison.Ordinal);

        // Edit the first order's dose and remove the second (no drug chosen): the next version.
        fields["ExpectedVersion"] = added.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Order(fields, 0, "Midazolam", "Rescue", "iv", "1,5", "3");
        Order(fields, 1, "", "Premedication", "iv", "", "");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/Admin/Protocols/rema2012", fields)).StatusCode);
        var edited = await LatestAsync("rema2012");
        Assert.Equal((added.Version + 1, 1.5), (edited.Version, Assert.Single(edited.AncillaryOrders).DoseMg));

        static void Order(Dictionary<string, string> f, int i, string drug, string purpose, string route, string dose, string max)
        {
            f[$"Form.Orders[{i}].Drug"] = drug;
            f[$"Form.Orders[{i}].Purpose"] = purpose;
            f[$"Form.Orders[{i}].Route"] = route;
            f[$"Form.Orders[{i}].Dose"] = dose;
            f[$"Form.Orders[{i}].MaxPerSession"] = max;
        }
    }

    [Fact]
    public async Task Protocol_OldFreeTextPremedication_ShownReadOnlyAndKeptAcrossARevision()
    {
        var admin = await _app.SignedInAsync("admin");
        await using (var db = Database().Open())
        {
            var old = ProtocolLibrary.Schwartzman2009 with { Id = "legacy-premed", Orders = null, Premedication = "Midazolam 2 mg IV before the infusion." };
            Assert.True((await new ProtocolService(db, TimeProvider.System).AddAsync(old, "stored before structured orders", ProtocolService.SystemUser, TestContext.Current.CancellationToken)).IsSuccess);
        }

        var html = await admin.GetStringAsync("/Admin/Protocols/legacy-premed");
        Assert.Contains("data-testid=\"protocol-premedication-text\"", html, StringComparison.Ordinal);
        Assert.Contains("Midazolam 2 mg IV before the infusion.", html, StringComparison.Ordinal);

        var fields = ProtocolFields(1, ceiling: "0,4");
        fields["Form.Premedication"] = "typed over";
        Assert.Equal(HttpStatusCode.Redirect, (await admin.PostFormAsync("/Admin/Protocols/legacy-premed", fields)).StatusCode);
        var revised = await LatestAsync("legacy-premed");
        Assert.Equal(("Midazolam 2 mg IV before the infusion.", null), (revised.Premedication, revised.Orders));
    }

    [Fact]
    public async Task InvestigationSettings_RevisedWithAReason_OutOfRangeRefusedNamingTheField_InForceForTheMonitoringSchedule()
    {
        var admin = await _app.SignedInAsync("admin");
        var html = await admin.GetStringAsync("/Admin/Investigations");
        Assert.Contains("data-testid=\"investigations-altUpper\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"admin-investigations-link\"", await admin.GetStringAsync("/Admin"), StringComparison.Ordinal);
        await using var db = Database().Open();
        var version = (await new SettingsService(db, TimeProvider.System).InvestigationSettingsAsync(TestContext.Current.CancellationToken)).Version;

        var fields = KetaCare.Clinic.Eligibility.InvestigationSettings.Fields.ToDictionary(f => "Values[" + f.Field + "]", f => WebNumber.Show(f.Get(KetaCare.Clinic.Eligibility.InvestigationSettings.Default), 6));
        fields["ExpectedVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        fields["Reason"] = "our laboratory's ranges";
        fields["Values[qtcReviewMs]"] = "45";
        var bad = System.Net.WebUtility.HtmlDecode(await (await admin.PostFormAsync("/Admin/Investigations", fields)).Content.ReadAsStringAsync());
        Assert.Contains("qtcReviewMs: 45 ms is outside the allowed range 450 to 600 ms.", bad, StringComparison.Ordinal);

        fields["Values[qtcReviewMs]"] = "480";
        fields["Values[ecgValidDays]"] = "180";
        var ok = await admin.PostFormAsync("/Admin/Investigations", fields);
        Assert.Equal(HttpStatusCode.Redirect, ok.StatusCode);
        var (stored, storedVersion) = await new SettingsService(db, TimeProvider.System).InvestigationSettingsAsync(TestContext.Current.CancellationToken);
        Assert.Equal((version + 1, 480.0, 180), (storedVersion, stored.QtcReviewMs, stored.EcgValidDays));
        Assert.Contains("data-testid=\"investigations-history-row\"", await admin.GetStringAsync("/Admin/Investigations"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Protocol_AddNew_IsStoredAsVersion1AndListed()
    {
        var admin = await _app.SignedInAsync("admin");
        var fields = ProtocolFields(0, ceiling: "1");
        fields["Form.Id"] = "clinic-low";
        fields["Form.Name"] = "Clinic low-dose course";

        var r = await admin.PostFormAsync("/Admin/Protocols/New", fields);

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal("/Admin/Protocols/clinic-low", r.Headers.Location!.OriginalString);
        Assert.Equal(1, (await LatestAsync("clinic-low")).Version);
        Assert.Contains("data-protocol=\"clinic-low\"", await admin.GetStringAsync("/Admin/Protocols"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Adjusted", KetaCare.Clinic.Dosing.DosingWeightRule.Adjusted)]
    [InlineData("Ideal", KetaCare.Clinic.Dosing.DosingWeightRule.Ideal)]
    public async Task Protocol_DosingWeightChosen_StoredWithTheVersionAndShown(string choice, KetaCare.Clinic.Dosing.DosingWeightRule expected)
    {
        var admin = await _app.SignedInAsync("admin");
        var fields = ProtocolFields(0, ceiling: "1");
        fields["Form.Id"] = "clinic-obese-" + choice.ToLowerInvariant();
        fields["Form.Name"] = "Clinic course on " + choice + " weight";
        fields["Form.DosingWeight"] = choice;

        var r = await admin.PostFormAsync("/Admin/Protocols/New", fields);

        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Equal(expected, (await LatestAsync(fields["Form.Id"])).DosingWeight);
        Assert.Contains("data-testid=\"protocol-dosing-weight\"", await admin.GetStringAsync("/Admin/Protocols/" + fields["Form.Id"]), StringComparison.Ordinal);

        fields["Form.Id"] = "clinic-bad-weight";
        fields["Form.DosingWeight"] = "2";
        var bad = await (await admin.PostFormAsync("/Admin/Protocols/New", fields)).Content.ReadAsStringAsync();
        Assert.Contains("dosing weight:", bad, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DrugLibrary_ShowsPreparationsAndTheHardLimitsWithTheirSource()
    {
        var admin = await _app.SignedInAsync("admin");

        var html = await admin.GetStringAsync("/Admin/Drugs");

        Assert.Contains("data-testid=\"drugs-readonly-note\"", html, StringComparison.Ordinal);
        Assert.Contains("vial-100", html, StringComparison.Ordinal);
        Assert.Contains("Cohen SP et al., Reg Anesth Pain Med 2018", html, StringComparison.Ordinal);
        Assert.Contains("data-protocol=\"outpatient-seed\"", html, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "<form method=\"post\" data-testid=\"pk-form\""));
    }

    [Fact]
    public async Task DrugLibrary_PeakThresholds_RevisedWithAReasonAndOutOfRangeRefused()
    {
        var admin = await _app.SignedInAsync("admin");
        var bad = await admin.PostFormAsync("/Admin/Drugs", new() { ["SoftPeak"] = "300", ["HardPeak"] = "1.500", ["ExpectedVersion"] = "0", ["Reason"] = "x" });
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("hardPeak", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var tooHigh = await admin.PostFormAsync("/Admin/Drugs", new() { ["SoftPeak"] = "300", ["HardPeak"] = "2000", ["ExpectedVersion"] = "0", ["Reason"] = "x" });
        Assert.Contains("outside the allowed range 70 to 1200", System.Net.WebUtility.HtmlDecode(await tooHigh.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        // 1 mg/kg/h for an hour predicts a plasma peak above the built-in soft threshold of 250 ng/mL for the demo CRPS patient.
        var physician = await _app.SignedInAsync("physician");
        await using var db = _app.Services.GetRequiredService<ClinicDatabase>().Open();
        var patient = (await new PatientService(db, TimeProvider.System).SearchAsync("DEMO-0001", TestContext.Current.CancellationToken)).Single();
        var preview = $"/Patients/{patient.Id.Value}/Plan/New?ProtocolId=outpatient-seed&ModelId=domino1984&PreparationId=bag-1&StartDose=1";
        Assert.Contains("data-limit=\"pk-peak\"", await physician.GetStringAsync(preview), StringComparison.Ordinal);

        var saved = await admin.PostFormAsync("/Admin/Drugs", new() { ["SoftPeak"] = "1000", ["HardPeak"] = "1200", ["ExpectedVersion"] = "0", ["Reason"] = "pharmacy review" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var library = await new SettingsService(db, TimeProvider.System).DrugLibraryAsync(TestContext.Current.CancellationToken);
        Assert.Equal((1000, 1200), (library.Pk.SoftPeakNgPerMl, library.Pk.HardPeakNgPerMl));
        Assert.Contains("data-testid=\"pk-history\"", await admin.GetStringAsync("/Admin/Drugs"), StringComparison.Ordinal);
        Assert.DoesNotContain("data-limit=\"pk-peak\"", await physician.GetStringAsync(preview), StringComparison.Ordinal);
    }

    private static Dictionary<string, string> Thresholds(int version, string spo2, string reason) => new()
    {
        ["ExpectedVersion"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Values[systolicAbove]"] = "180",
        ["Values[diastolicAbove]"] = "110",
        ["Values[spo2Below]"] = spo2,
        ["Values[heartRateAbove]"] = "130",
        ["Values[rassAtOrBelow]"] = "-4",
        ["Values[moaasAtOrBelow]"] = "1",
        ["Reason"] = reason,
    };

    private static Dictionary<string, string> ProtocolFields(int expectedVersion, string ceiling) => new()
    {
        ["ExpectedVersion"] = expectedVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Form.Name"] = "Rema 2012 (clinic revision)",
        ["Form.Route"] = "iv",
        ["Form.Unit"] = "mg/kg/h",
        ["Form.Start"] = "0,2",
        ["Form.Step"] = "0,05",
        ["Form.Ceiling"] = ceiling,
        ["Form.DurationMinutes"] = "240",
        ["Form.IntervalDays"] = "1",
        ["Form.Sessions"] = "5",
        ["Form.Sources"] = "clinical-reference: Published regimens (rema2012) | clinic revision of the published regimen | assumption",
        ["Form.Reason"] = "lower ceiling for our outpatients",
    };

    private ClinicDatabase Database() => _app.Services.GetRequiredService<ClinicDatabase>();

    private async Task<(AlertThresholds Thresholds, int Version)> Settings()
    {
        await using var db = Database().Open();
        return await new SettingsService(db, TimeProvider.System).AlertThresholdsAsync(TestContext.Current.CancellationToken);
    }

    private async Task<Clinic.Protocols.Protocol> LatestAsync(string id)
    {
        await using var db = Database().Open();
        return (await new ProtocolService(db, TimeProvider.System).FindAsync(id, cancellationToken: TestContext.Current.CancellationToken)).Value.Protocol;
    }

    private async Task<IList<string>> RolesAsync(string userName)
    {
        using var scope = _app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        return await users.GetRolesAsync((await users.FindByNameAsync(userName))!);
    }

    private async Task<Guid> CreateAsync(string userName, string role)
    {
        using var scope = _app.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ClinicUser>>();
        var db = scope.ServiceProvider.GetRequiredService<KetaCareDbContext>();
        var r = await new UserDirectory(users, db, TimeProvider.System).CreateAsync(new NewUser(userName, userName, "a fresh passphrase", [role]), new UserId(AdminId));
        Assert.True(r.IsSuccess, r.Error);
        return r.Value.Id.Value;
    }
}
