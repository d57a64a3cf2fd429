using System.CommandLine;
using Dockyard.Server.Hosting;

namespace Dockyard.Server.Cli;

/// <summary><c>dockyard serve [--urls URLS] [--data DIR]</c>: runs the server with embedded defaults.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls")
        {
            Description = $"Addresses to listen on, ';'-separated (default {DockyardApp.DefaultUrls}).",
        };
        var data = DataDirectoryOption.Create();
        var command = new Command("serve", "Run the registry server.") { urls, data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>();
            if (parse.GetValue(urls) is { Length: > 0 } u)
            {
                settings["urls"] = u;
            }

            DataDirectoryOption.Apply(parse, data, settings);

            // Signals are ours from here on (see ServeLifetime): a stop at any moment is a normal stop, exit code 0.
            using var lifetime = new ServeLifetime();
            await using var commandLineStop = cancellationToken.Register(() => lifetime.RequestStop("cancelled"));
            WebApplication app;
            try
            {
                app = DockyardApp.Build(settings, builder => builder.Services.AddSingleton<IHostLifetime>(lifetime));
            }
            catch (ConflictingEnvironmentSettingsException e)
            {
                await Console.Error.WriteLineAsync($"dockyard serve: {e.Message}");
                return 2;
            }

            await using (app)
            {
                // Resolved before running: RunAsync disposes the host, and with it the service provider.
                var bootstrapper = app.Services.GetRequiredService<Accounts.AdminBootstrapper>();
                // Before anything listens: a schema newer than this build is refused here (DataRefusals: one line, exit 2).
                await app.Services.GetRequiredService<Data.DatabaseInitializer>().Begin();
                lifetime.Attach(app.Lifetime, app.Services.GetRequiredService<ILogger<ServeLifetime>>());

                // Not the command line's token: a start cancelled halfway fails with an exception (exit code 1).
                await app.RunAsync(CancellationToken.None);
                return bootstrapper.Failed ? 1 : 0;
            }
        });
        return command;
    }
}
