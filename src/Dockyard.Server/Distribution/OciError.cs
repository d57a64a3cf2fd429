namespace Dockyard.Server.Distribution;

/// <summary>
/// One registered wire error of <c>/v2</c> (and the token GET): the code string clients see, the HTTP status it is
/// sent with, and the default message. Instances exist only in <see cref="OciErrors"/>.
/// </summary>
/// <param name="Name">The registry's name for the entry (unique; several entries may share a wire code).</param>
/// <param name="Code">The wire code, e.g. <c>MANIFEST_UNKNOWN</c>.</param>
/// <param name="Status">The HTTP status.</param>
/// <param name="Message">The default message, used when the raiser gives none.</param>
internal sealed record OciError(string Name, string Code, int Status, string Message);
