namespace NvrBlazor.Web.Common;

/// <summary>The body of every 4xx answer of the API that says what was wrong: {"error": "..."}.</summary>
public sealed record ProblemMessage(string Error);
