using System.Text.RegularExpressions;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control.Exec;

/// <summary>
/// What a terminal asks to run, validated at the edge: the commands to try in order (<c>auto</c>: <c>/bin/bash</c>,
/// then <c>/bin/sh</c>; otherwise the one command line given, split on spaces, no quoting) and the user (a name or a
/// uid, optionally <c>:group</c> or <c>:gid</c>; none = the container's user).
/// </summary>
internal sealed partial record ExecRequest(IReadOnlyList<IReadOnlyList<string>> Candidates, string Command, string? User)
{
    public const string Auto = "auto";

    public const int MaxCommandLength = 512;

    public const int MaxArguments = 32;

    /// <summary>The shells <see cref="Auto"/> tries, in order.</summary>
    public static readonly IReadOnlyList<string> Shells = ["/bin/bash", "/bin/sh"];

    public bool IsAuto => Command == Auto;

    /// <summary>Parses the <c>cmd</c> and <c>user</c> query values; invalid ones are a 400 (<see cref="DomainErrorKind.Invalid"/>).</summary>
    public static ExecRequest Parse(string? command, string? user)
    {
        command = command?.Trim();
        user = string.IsNullOrWhiteSpace(user) ? null : user.Trim();
        if (user is not null && !UserPattern().IsMatch(user))
        {
            throw DomainException.Invalid("user", "The user is a name or a uid, optionally with :group or :gid (e.g. www-data, 1000:1000).");
        }

        if (string.IsNullOrEmpty(command) || command == Auto)
        {
            return new ExecRequest([.. Shells.Select(shell => (IReadOnlyList<string>)[shell])], Auto, user);
        }

        if (command.Length > MaxCommandLength || command.Any(char.IsControl))
        {
            throw DomainException.Invalid("cmd", $"The command is at most {MaxCommandLength} characters of one line.");
        }

        var arguments = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (arguments.Length > MaxArguments)
        {
            throw DomainException.Invalid("cmd", $"The command has at most {MaxArguments} arguments.");
        }

        return new ExecRequest([arguments], string.Join(' ', arguments), user);
    }

    // A name (as useradd allows, bounded) or a number, for the user and the optional group.
    [GeneratedRegex(@"^(?:[A-Za-z_][A-Za-z0-9_.-]{0,31}|[0-9]{1,10})(?::(?:[A-Za-z_][A-Za-z0-9_.-]{0,31}|[0-9]{1,10}))?$", RegexOptions.CultureInvariant)]
    private static partial Regex UserPattern();
}
