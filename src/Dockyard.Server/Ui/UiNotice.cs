namespace Dockyard.Server.Ui;

/// <summary>A post/redirect/get notice (<see cref="UiFlash"/>): a fixed notice code and, for some codes, the name acted on.</summary>
/// <param name="Code">A code of a fixed text (<c>saved</c>, <c>tag-deleted</c>); pages show only codes they know.</param>
/// <param name="Argument">The server-chosen name the text mentions (a tag), never request input echoed unchecked.</param>
internal sealed record UiNotice(string Code, string? Argument);
