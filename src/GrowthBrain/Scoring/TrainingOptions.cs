namespace GrowthBrain.Scoring;

public sealed record TrainingOptions(
    IReadOnlyList<string>? ProtectedAttributes = null,
    TimeSpan? Budget = null,
    int Seed = 42,
    int MinimumPerClass = 50,
    IReadOnlySet<string>? Skip = null,
    IReadOnlyDictionary<string, string>? Templates = null,
    bool RefitOnAll = true,
    IReadOnlySet<string>? NeverProtected = null,
    RowOrder Order = RowOrder.Time)
{
    public IReadOnlyList<string> Protected => ProtectedAttributes ?? Scoring.ProtectedAttributes.Default;
}

/// <summary>What the order of the rows handed to <see cref="ScorerTrainer.Train"/> means.</summary>
public enum RowOrder
{
    /// <summary>Oldest first (CRM exports sorted by creation date): the newest fifth chooses and calibrates the model.</summary>
    Time,

    /// <summary>The order means nothing (a shuffled or randomly split export): every fifth row chooses and calibrates, so that slice looks like the whole file.</summary>
    Random,
}
