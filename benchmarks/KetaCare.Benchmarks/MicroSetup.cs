using System.Diagnostics;
using KetaCare.Pharmacology.Models;
using KetaCare.Pharmacology.Models.Library;
using KetaCare.Pharmacology.Simulation;
using KetaCare.Pharmacology.Units;

namespace KetaCare.Benchmarks;

public static class MicroSetup
{
    public static void Run()
    {
        var model = new Domino1984();
        var etas = new Dictionary<string, double> { ["V1"] = 0.1, ["k10"] = 0.1, ["k12"] = 0.1, ["k21"] = 0.1, ["k13"] = 0.1, ["k31"] = 0.1 };
        var regimen = WorkloadRunner.RegimenOf("W1");
        var routes = regimen.Routes;
        var cov = new Covariates(BodyWeight.FromKilograms(70));
        var opts = new SubjectOptions { Etas = etas, Routes = routes };
        for (var rep = 0; rep < 3; rep++)
        {
            var sw = Stopwatch.StartNew();
            CompartmentSystem? sys = null;
            for (var i = 0; i < 100_000; i++)
            {
                sys = model.Build(cov, opts);
            }

            var tb = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            for (var i = 0; i < 100_000; i++)
            {
                DosingSchedule.Resolve(regimen, sys!, cov.Weight);
            }

            var tr = sw.Elapsed.TotalMilliseconds;
            sw.Restart();
            for (var i = 0; i < 100_000; i++)
            {
                model.CheckPatient(cov);
            }

            Console.WriteLine($"build {tb:F0} ms, resolve {tr:F0} ms, check {sw.Elapsed.TotalMilliseconds:F0} ms per 100k; gen0 {GC.CollectionCount(0)}");
        }
    }
}
