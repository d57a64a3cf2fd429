using System.Net;
using System.Text;
using Dockyard.Server.Accounts;
using Dockyard.Server.Data;
using Dockyard.Server.Tests.Accounts;
using Dockyard.Server.Tests.Hosting;
using Dockyard.Server.Ui;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dockyard.Server.Tests.Configuration;

/// <summary>What start-up does before the server listens and what it leaves to the background.</summary>
public sealed class StartupWorkTests
{
    [Fact]
    public async Task Database_is_ready_before_the_server_listens_and_the_first_administrator_right_after()
    {
        await using var server = await InProcessDockyard.StartAsync(waitForAdministrator: false);

        Assert.True(server.Services.GetRequiredService<DatabaseInitializer>().Begin().IsCompletedSuccessfully);
        await server.Services.GetRequiredService<AdminBootstrapper>().Begin().WaitAsync(TimeSpan.FromSeconds(30));
        var factory = server.Services.GetRequiredService<IDbContextFactory<DockyardDbContext>>();
        await using var db = await factory.CreateDbContextAsync();
        Assert.True(await db.Users.AnyAsync(u => u.Username == AdminBootstrapper.AdminUsername && u.IsAdmin));
    }

    [Fact]
    public async Task A_sign_in_while_the_first_administrator_is_being_created_waits_for_it()
    {
        // The bootstrap stops inside its last step (printing the generated password), after the account row exists.
        using var console = new HeldWriter();
        var start = InProcessDockyard.StartAsync(b => b.Services.AddSingleton(new BootstrapConsole(console)), waitForAdministrator: false);
        await using var server = await start.WaitAsync(TimeSpan.FromSeconds(60)); // listening does not wait for it
        await console.Flushed.WaitAsync(TimeSpan.FromSeconds(30));
        var bootstrap = server.Services.GetRequiredService<AdminBootstrapper>().Begin();
        Assert.False(bootstrap.IsCompleted);

        var password = AdminBootstrapperTests.PasswordLine().Match(console.ToString()).Groups[1].Value;
        using var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{password}")));
        var signIn = client.GetAsync("/api/v1/me");
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(signIn.IsCompleted, "the sign-in was answered before the bootstrap finished");

        console.Release();
        await bootstrap.WaitAsync(TimeSpan.FromSeconds(30));
        using var response = await signIn.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Key_ring_is_loaded_in_the_background_after_start_instead_of_before()
    {
        await using var server = await InProcessDockyard.StartAsync();

        var hosted = server.Services.GetServices<IHostedService>().Select(s => s.GetType()).ToList();
        Assert.DoesNotContain(hosted, type => type.Assembly == typeof(KeyManagementOptions).Assembly);
        Assert.Contains(typeof(KeyRingWarmUp), hosted);

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

    /// <summary>A console whose flush blocks until released, so a test can act while the bootstrap is unfinished.</summary>
    private sealed class HeldWriter : StringWriter
    {
        private readonly SemaphoreSlim _release = new(0);
        private readonly TaskCompletionSource _flushed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Flushed => _flushed.Task;

        public void Release() => _release.Release();

        public override void Flush()
        {
            base.Flush();
            _flushed.TrySetResult();
            _release.Wait(TimeSpan.FromSeconds(60));
        }

        protected override void Dispose(bool disposing)
        {
            _release.Release();
            base.Dispose(disposing);
        }
    }
}
