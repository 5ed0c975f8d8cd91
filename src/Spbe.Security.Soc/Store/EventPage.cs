namespace Spbe.Security.Soc.Store;

/// <summary>One page of events, newest first.</summary>
/// <param name="Events">The events.</param>
/// <param name="NextCursor">Pass as <see cref="EventQuery.Cursor"/> for the next page; <see langword="null"/> on the last.</param>
public sealed record EventPage(IReadOnlyList<SocEvent> Events, string? NextCursor);
