using System.CommandLine;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Cli;

/// <summary>
/// <c>dockyard user add NAME [--admin] [--email E] [--display-name N] [--password-stdin] [--data DIR]</c>: creates a
/// local user. The password is read from standard input with <c>--password-stdin</c>; otherwise one is generated
/// and printed once. <c>dockyard user signout NAME [--data DIR]</c>: signs a user out everywhere.
/// </summary>
internal static class UserCommand
{
    public static Command Create(TextReader? input = null)
    {
        var name = new Argument<string>("name") { Description = "Username (lowercase letters, digits, '.', '_', '-')." };
        var admin = new Option<bool>("--admin") { Description = "Make the user a system administrator." };
        var email = new Option<string>("--email") { Description = "Email address." };
        var displayName = new Option<string>("--display-name") { Description = "Display name." };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input." };
        var data = DataDirectoryOption.Create();
        var add = new Command("add", "Create a local user.") { name, admin, email, displayName, passwordStdin, data };
        add.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            string? password = null;
            if (parse.GetValue(passwordStdin) && (password = await PasswordInput.ReadAsync(input ?? Console.In, cancellationToken)) is null)
            {
                parse.InvocationConfiguration.Error.WriteLine("error: --password-stdin given but standard input is empty.");
                return 2;
            }

            var generated = password is null;
            password ??= PasswordPolicy.Generate();
            using var host = await DataDirectoryOption.OpenAsync(parse, data, cancellationToken);
            try
            {
                // Authorized and recorded by the service, as the system (whoever runs this owns the data directory).
                var user = await host.Services.GetRequiredService<UserService>().CreateLocalAsync(
                    Caller.System.With("via", "cli"),
                    new NewUser(parse.GetValue(name)!, password, parse.GetValue(email), parse.GetValue(displayName), parse.GetValue(admin)),
                    cancellationToken);
                output.WriteLine($"Created user '{user.Username}'{(user.IsAdmin ? " (system administrator)" : string.Empty)}.");
                if (generated)
                {
                    output.WriteLine($"Password (shown once): {password}");
                }

                return 0;
            }
            catch (DomainException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {(e.Field is null ? string.Empty : e.Field + ": ")}{e.Message}");
                return 1;
            }
        });
        var signOutName = new Argument<string>("name") { Description = "Username." };
        var signOutData = DataDirectoryOption.Create();
        var signOut = new Command("signout", "End every web UI session of a user and revoke their refresh tokens.") { signOutName, signOutData };
        signOut.SetAction(async (parse, cancellationToken) =>
        {
            using var host = await DataDirectoryOption.OpenAsync(parse, signOutData, cancellationToken);
            try
            {
                var username = parse.GetValue(signOutName)!;
                await host.Services.GetRequiredService<UiSessionManager>().SignOutEverywhereAsync(Caller.System.With("via", "cli"), username, cancellationToken);
                parse.InvocationConfiguration.Output.WriteLine($"Signed '{username}' out everywhere: web UI sessions ended, refresh tokens revoked.");
                return 0;
            }
            catch (DomainException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return new Command("user", "Manage users.") { add, signOut };
    }
}
