namespace GrowthBrain.FollowUps;

public enum FollowUpGoal
{
    FirstTouch,
    NoReplyYet,
    AfterDemo,
    ReEngage,
    BreakUp,
}

public enum Tone
{
    Formal,
    Friendly,
    Brief,
}

/// <summary>A follow-up e-mail as a writer made it, before any person has seen it.</summary>
/// <param name="Writer">Which writer made it ("template" for the built-in one); the UI shows it.</param>
/// <param name="CallToAction">The one sentence that asks the lead to do something.</param>
/// <param name="FactsUsed">The lead's facts the draft was built from, so a reviewer can see what went in.</param>
public sealed record Draft(string Writer, string Subject, string Body, string CallToAction, string Language, IReadOnlyList<string> FactsUsed);

/// <summary>One broken guardrail, with a message that says what to change.</summary>
public sealed record Violation(string Rule, string Message);

public sealed record DraftCheck(IReadOnlyList<Violation> Violations)
{
    public bool Sendable => Violations.Count == 0;
}
