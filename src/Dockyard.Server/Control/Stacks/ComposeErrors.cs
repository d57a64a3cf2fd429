using Dockyard.Control.Compose;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Control.Stacks;

/// <summary>
/// The one translation of a Compose file that cannot be deployed into Dockyard's errors: invalid input (400 on the API)
/// of the field <c>files</c>, with the position as the extensions <c>file</c>, <c>line</c> and <c>column</c>.
/// </summary>
internal static class ComposeErrors
{
    public static DomainException ToDomain(ComposeException error) =>
        DomainException.Invalid("files", error.Message).With(("file", error.File), ("line", error.Line), ("column", error.Column));
}
