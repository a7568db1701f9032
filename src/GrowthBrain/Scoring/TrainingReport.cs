namespace GrowthBrain.Scoring;

public sealed record CandidateResult(string Name, string Settings, double ValidationAuc, double ValidationLogLoss);

public sealed record TrainingReport(
    ScorerKind Kind,
    string Description,
    int TrainingRows,
    int CalibrationRows,
    int Won,
    int Lost,
    IReadOnlyList<string> Features,
    IReadOnlyList<ExcludedColumn> Excluded,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<CandidateResult> Candidates,
    string CalibrationMethod,
    double Seconds);

public sealed record TrainingResult(TrainedScorer Scorer, TrainingReport Report);
