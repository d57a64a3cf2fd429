using System.Diagnostics;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Tests.Control.Events;

internal static class EventTestHelpers
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>Waits until every engine named has a consumer that holds its lease and has written its first checkpoint (it then follows the live stream).</summary>
    public static async Task WaitUntilConsumingAsync(InProcessDockyard server, params string[] engines)
    {
        var contexts = server.GetRequiredService<IDbContextFactory<DockyardDbContext>>();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            await using (var db = await contexts.CreateDbContextAsync())
            {
                var ready = await db.EngineEventLeases.Where(l => engines.Contains(l.Engine) && l.StateTimeNano > 0).CountAsync();
                if (ready == engines.Length)
                {
                    return;
                }
            }

            Assert.True(watch.Elapsed < Deadline, $"no consumer checkpointed {string.Join(", ", engines)} within {Deadline.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    /// <summary>The stored (type action reconciled) of the container or service named <paramref name="name"/>, once <paramref name="until"/> holds for them.</summary>
    public static async Task<List<(string Action, bool Reconciled)>> WaitForEventsAsync(InProcessDockyard server, string name, Func<List<(string Action, bool Reconciled)>, bool> until)
    {
        var contexts = server.GetRequiredService<IDbContextFactory<DockyardDbContext>>();
        var watch = Stopwatch.StartNew();
        while (true)
        {
            List<(string, bool)> rows;
            await using (var db = await contexts.CreateDbContextAsync())
            {
                rows = [.. (await db.EngineEvents.Where(e => e.ActorName == name).OrderBy(e => e.Id).Select(e => new { e.Action, e.Reconciled }).ToListAsync()).Select(r => (r.Action, r.Reconciled))];
            }

            if (until(rows) || watch.Elapsed > Deadline)
            {
                return rows;
            }

            await Task.Delay(100);
        }
    }
}
