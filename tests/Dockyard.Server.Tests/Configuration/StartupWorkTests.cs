using Dockyard.Server.Accounts;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Ui;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dockyard.Server.Tests.Configuration;

/// <summary>What start-up does before the server listens and what it leaves to the background.</summary>
public sealed class StartupWorkTests
{
    [Fact]
    public async Task Database_and_first_administrator_are_ready_before_the_server_listens()
    {
        await using var server = await InProcessDockyard.StartAsync();

        Assert.True(server.Services.GetRequiredService<DatabaseInitializer>().Begin().IsCompletedSuccessfully);
        Assert.True(server.Services.GetRequiredService<AdminBootstrapper>().Begin().IsCompletedSuccessfully);
        var factory = server.Services.GetRequiredService<IDbContextFactory<DockyardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        Assert.True(await db.Users.AnyAsync(u => u.Username == AdminBootstrapper.AdminUsername && u.IsAdmin));
    }

    [Fact]
    public async Task Key_ring_is_loaded_in_the_background_after_start_instead_of_before()
    {
        await using var server = await InProcessDockyard.StartAsync();

        var hosted = server.Services.GetServices<IHostedService>().Select(s => s.GetType().FullName).ToList();
        Assert.DoesNotContain(KeyRingWarmUp.FrameworkServiceName, hosted);
        Assert.Contains(typeof(KeyRingWarmUp).FullName, hosted);

        // A new database has no key until the warm-up creates the first one.
        var factory = server.Services.GetRequiredService<IDbContextFactory<DockyardDbContext>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync();
            if (await db.Settings.AnyAsync(s => s.Key.StartsWith("data-protection/")))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "no data-protection key was created in the background within 30 s of start");
            await Task.Delay(100);
        }
    }
}
