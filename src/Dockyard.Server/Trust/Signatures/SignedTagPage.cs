namespace Dockyard.Server.Trust.Signatures;

/// <summary>
/// One page of a repository's tags with their verdicts. <see cref="Truncated"/>: the "unsigned only" filter looked at
/// the first <see cref="SignatureOptions.MaxFilteredTags"/> tags (by name) only.
/// </summary>
internal sealed record SignedTagPage(IReadOnlyList<SignedTag> Items, int Page, int PageSize, int Total, bool Truncated);
