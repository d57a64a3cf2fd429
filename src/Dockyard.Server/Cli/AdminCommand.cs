using System.CommandLine;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard admin reset-password NAME [--password-stdin] [--data DIR]</c>: sets a local user's password (from
/// standard input, or generated and printed once). Works on the data directory directly, so it is the way back in
/// when every administrator password is lost. <c>dockyard admin unlock NAME [--data DIR]</c>: forgets a user's
/// failed sign-ins from every address (the escape hatch that does not depend on the network).
/// </summary>
internal static class AdminCommand
{
    public static Command Create(TextReader? input = null)
    {
        var name = new Argument<string>("name") { Description = "Username." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the new password from the first line of standard input." };
        var data = DataDirectoryOption.Create();
        var reset = new Command("reset-password", "Set a new password for a local user.") { name, passwordStdin, data };
        reset.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            string? password = null;
            if (parse.GetValue(passwordStdin) && (password = await PasswordInput.ReadAsync(input ?? Console.In, cancellationToken)) is null)
            {
                parse.InvocationConfiguration.Error.WriteLine("error: --password-stdin given but standard input is empty.");
                return 2;
            }

            using var host = await DataDirectoryOption.OpenAsync(parse, data, cancellationToken);
            try
            {
                var username = parse.GetValue(name)!;
                // Authorized and recorded by the service, as the system (whoever runs this owns the data directory).
                var effective = await host.Services.GetRequiredService<UserService>().ResetPasswordAsync(Caller.System.With("via", "cli"), username, password, cancellationToken);
                output.WriteLine($"Password of '{username}' reset; refresh tokens revoked, web UI sessions ended.");
                if (password is null)
                {
                    output.WriteLine($"New password (shown once): {effective}");
                }

                return 0;
            }
            catch (DomainException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {(e.Field is null ? string.Empty : e.Field + ": ")}{e.Message}");
                return 1;
            }
        });
        return new Command("admin", "Administration tasks.") { reset, CreateUnlock() };
    }

    private static Command CreateUnlock()
    {
        var name = new Argument<string>("name") { Description = "Username." };
        var data = DataDirectoryOption.Create();
        var unlock = new Command("unlock", "Forget a user's failed sign-ins from every address, lifting locks and delays.") { name, data };
        unlock.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await DataDirectoryOption.OpenAsync(parse, data, cancellationToken);
            try
            {
                var username = parse.GetValue(name)!;
                var removed = await host.Services.GetRequiredService<UserService>().UnlockAsync(Caller.System.With("via", "cli"), username, cancellationToken);
                parse.InvocationConfiguration.Output.WriteLine($"Unlocked '{username}' ({removed} failed-sign-in counter(s) removed).");
                return 0;
            }
            catch (DomainException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {(e.Field is null ? string.Empty : e.Field + ": ")}{e.Message}");
                return 1;
            }
        });
        return unlock;
    }
}
