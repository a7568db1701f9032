namespace GrowthBrain.FollowUps;

/// <summary>
/// The built-in writer's wording for one language: several alternatives per sentence so different leads
/// read differently. Tokens: {first} {last} {company} {product} {summary} {value} {reasons} {offer}.
/// Only the call-to-action sentences ask a question or contain an ask (see Guardrails.CallToActionPhrases);
/// every other sentence must not, or the draft would fail its own one-call-to-action check.
/// </summary>
internal sealed record TemplatePhrases(
    IReadOnlyDictionary<Tone, (string Named, string Anonymous)> Greetings,
    IReadOnlyDictionary<FollowUpGoal, string[]> Subjects,
    IReadOnlyDictionary<FollowUpGoal, string[]> Openers,
    string[] Values,
    string[] Reasons,
    string ReasonJoin,
    string[] Offers,
    IReadOnlyDictionary<FollowUpGoal, string[]> CallsToAction,
    string FormalCourtesy,
    IReadOnlyDictionary<Tone, string> Closings,
    string NoCompany,
    IReadOnlyList<(string FeatureContains, string Reason)> FactorReasons)
{
    public static TemplatePhrases For(string language) => language == Playbook.German ? German : English;

    public static readonly TemplatePhrases English = new(
        Greetings: new Dictionary<Tone, (string, string)>
        {
            [Tone.Formal] = ("Dear {first} {last},", "Good day,"),
            [Tone.Friendly] = ("Hi {first},", "Hello,"),
            [Tone.Brief] = ("{first},", "Hello,"),
        },
        Subjects: new Dictionary<FollowUpGoal, string[]>
        {
            [FollowUpGoal.FirstTouch] = ["{product} for {company}", "Pipeline planning at {company}", "An idea for {company}", "Pipeline planning for your team"],
            [FollowUpGoal.NoReplyYet] = ["Following up: {product}", "A quick follow-up for {company}"],
            [FollowUpGoal.AfterDemo] = ["Next steps after our demo", "After the demo: {company} and {product}"],
            [FollowUpGoal.ReEngage] = ["Catching up on pipeline planning", "{product}: what is new"],
            [FollowUpGoal.BreakUp] = ["Closing the loop", "My last note for now"],
        },
        Openers: new Dictionary<FollowUpGoal, string[]>
        {
            [FollowUpGoal.FirstTouch] =
            [
                "I am writing because {company} looks like a good fit for {product}.",
                "I came across {company} and wanted to introduce {product}, {summary}.",
                "I work with sales teams like the one at {company} on pipeline planning.",
            ],
            [FollowUpGoal.NoReplyYet] =
            [
                "I wrote to you recently and wanted to follow up in case my note got buried.",
                "I am following up on my earlier message about {product}.",
                "I know inboxes fill up quickly, so here is a short follow-up on my last note.",
            ],
            [FollowUpGoal.AfterDemo] =
            [
                "Thank you for taking the time to see {product} in action with us.",
                "It was good to walk through {product} with you and the team at {company}.",
                "Thanks again for the demo session; I hope it gave you a clear picture of {product}.",
            ],
            [FollowUpGoal.ReEngage] =
            [
                "It has been a while since we last spoke, and {product} has grown since then.",
                "We have not been in touch for some time, so I wanted to share where {product} stands today.",
                "A few months have passed since our last conversation about {company} and {product}.",
            ],
            [FollowUpGoal.BreakUp] =
            [
                "I have written a few times without hearing back, so this will be my last note for now.",
                "I do not want to fill your inbox, so I will stop following up after this message.",
                "Since the timing may not be right, this is the last time I will write for a while.",
            ],
        },
        Values:
        [
            "Teams like yours use {product} to {value}.",
            "With {product}, teams at companies like {company} {value}.",
            "{product} helps teams like yours {value}.",
        ],
        Reasons: ["I am writing now because {reasons}.", "This seemed a good moment to write, since {reasons}."],
        ReasonJoin: " and ",
        Offers:
        [
            "If it helps, we can start with {offer} so your team can judge the results for itself.",
            "Many teams begin with {offer}, which shows the numbers on their own data.",
        ],
        CallsToAction: new Dictionary<FollowUpGoal, string[]>
        {
            [FollowUpGoal.FirstTouch] =
            [
                "Would a 20-minute call next week be useful?",
                "Could we book a short call to see if it fits?",
                "Would you be open to a quick conversation this month?",
            ],
            [FollowUpGoal.NoReplyYet] = ["Is this worth a short call, or should I check back later?", "Would a 15-minute call next week work for you?"],
            [FollowUpGoal.AfterDemo] = ["Shall we schedule the next step with your team?", "Would it help to set up the pilot with your team next week?"],
            [FollowUpGoal.ReEngage] = ["Would a short catch-up this month be worthwhile?", "Is pipeline planning still on your list for this quarter?"],
            [FollowUpGoal.BreakUp] = ["If the timing changes, just reply to this message and I will pick it up.", "Should I close your file for now?"],
        },
        FormalCourtesy: "I would be glad to answer any questions you may have.",
        Closings: new Dictionary<Tone, string> { [Tone.Formal] = "Kind regards,", [Tone.Friendly] = "Best wishes,", [Tone.Brief] = "Thanks," },
        NoCompany: "your company",
        FactorReasons:
        [
            ("demo", "you asked to see a demo"),
            ("pricing", "you asked how pricing works"),
            ("page", "you have been reading about {product} on our site"),
            ("repl", "we have been in touch recently"),
            ("meeting", "we have already met"),
            ("form", "you filled in a form on our site"),
        ]);

    public static readonly TemplatePhrases German = new(
        Greetings: new Dictionary<Tone, (string, string)>
        {
            [Tone.Formal] = ("Guten Tag {first} {last},", "Guten Tag,"),
            [Tone.Friendly] = ("Hallo {first},", "Hallo,"),
            [Tone.Brief] = ("Hallo {first},", "Hallo,"),
        },
        Subjects: new Dictionary<FollowUpGoal, string[]>
        {
            [FollowUpGoal.FirstTouch] = ["{product} für {company}", "Pipeline-Planung bei {company}", "Eine Idee für {company}", "Pipeline-Planung für Ihr Team"],
            [FollowUpGoal.NoReplyYet] = ["Kurze Nachfrage: {product}", "Kurze Erinnerung für {company}"],
            [FollowUpGoal.AfterDemo] = ["Nächste Schritte nach der Demo", "Nach der Demo: {company} und {product}"],
            [FollowUpGoal.ReEngage] = ["Neues zur Pipeline-Planung", "{product}: was es Neues gibt"],
            [FollowUpGoal.BreakUp] = ["Vorerst meine letzte Nachricht", "Ich schließe das Thema ab"],
        },
        Openers: new Dictionary<FollowUpGoal, string[]>
        {
            [FollowUpGoal.FirstTouch] =
            [
                "ich schreibe Ihnen, weil {company} gut zu {product} passen könnte.",
                "ich bin auf {company} aufmerksam geworden und möchte Ihnen {product} vorstellen.",
                "ich arbeite mit Vertriebsteams wie Ihrem an der Planung ihrer Pipeline.",
            ],
            [FollowUpGoal.NoReplyYet] =
            [
                "ich hatte Ihnen kürzlich geschrieben und wollte nachfassen, falls meine Nachricht untergegangen ist.",
                "ich komme noch einmal auf meine letzte Nachricht zu {product} zurück.",
                "Postfächer füllen sich schnell, deshalb hier eine kurze Erinnerung an meine letzte Nachricht.",
            ],
            [FollowUpGoal.AfterDemo] =
            [
                "vielen Dank, dass Sie sich die Zeit genommen haben, {product} mit uns anzusehen.",
                "es war schön, {product} mit Ihnen und Ihrem Team durchzugehen.",
                "danke noch einmal für die Demo; ich hoffe, sie hat Ihnen ein klares Bild von {product} gegeben.",
            ],
            [FollowUpGoal.ReEngage] =
            [
                "es ist eine Weile her, seit wir zuletzt gesprochen haben, und {product} hat sich seitdem weiterentwickelt.",
                "wir waren länger nicht in Kontakt, deshalb möchte ich Ihnen zeigen, wo {product} heute steht.",
                "seit unserem letzten Gespräch über {product} sind einige Monate vergangen.",
            ],
            [FollowUpGoal.BreakUp] =
            [
                "ich habe Ihnen einige Male geschrieben, ohne von Ihnen zu hören, daher ist dies vorerst meine letzte Nachricht.",
                "ich möchte Ihr Postfach nicht füllen und schreibe Ihnen nach dieser Nachricht vorerst nicht mehr.",
                "da der Zeitpunkt vielleicht nicht passt, schreibe ich Ihnen nach dieser Nachricht eine Weile nicht mehr.",
            ],
        },
        Values:
        [
            "Teams wie Ihres nutzen {product}, um {value}.",
            "Mit {product} gelingt es Unternehmen wie {company}, {value}.",
            "{product} hilft Teams wie Ihrem dabei, {value}.",
        ],
        Reasons: ["Ich schreibe Ihnen gerade jetzt, weil {reasons}.", "Der Moment schien mir günstig, da {reasons}."],
        ReasonJoin: " und ",
        Offers:
        [
            "Gern starten wir mit {offer}, damit Ihr Team die Ergebnisse selbst beurteilen kann.",
            "Viele Teams beginnen mit {offer}, um die Zahlen mit den eigenen Daten zu sehen.",
        ],
        CallsToAction: new Dictionary<FollowUpGoal, string[]>
        {
            [FollowUpGoal.FirstTouch] =
            [
                "Hätten Sie nächste Woche Zeit für ein kurzes Gespräch von 20 Minuten?",
                "Wollen wir einen kurzen Termin vereinbaren, um zu sehen, ob es passt?",
            ],
            [FollowUpGoal.NoReplyYet] = ["Lohnt sich ein kurzes Gespräch, oder soll ich später noch einmal schreiben?", "Passt Ihnen nächste Woche ein Gespräch von 15 Minuten?"],
            [FollowUpGoal.AfterDemo] = ["Sollen wir den nächsten Schritt mit Ihrem Team vereinbaren?", "Wollen wir das Pilotprojekt nächste Woche mit Ihrem Team aufsetzen?"],
            [FollowUpGoal.ReEngage] = ["Wäre ein kurzer Austausch in diesem Monat sinnvoll?", "Steht die Pipeline-Planung in diesem Quartal noch auf Ihrer Liste?"],
            [FollowUpGoal.BreakUp] = ["Wenn sich der Zeitpunkt ändert, antworten Sie einfach auf diese Nachricht.", "Soll ich Ihre Anfrage vorerst schließen?"],
        },
        FormalCourtesy: "Für Fragen stehe ich Ihnen gern zur Verfügung.",
        Closings: new Dictionary<Tone, string> { [Tone.Formal] = "Mit freundlichen Grüßen", [Tone.Friendly] = "Viele Grüße", [Tone.Brief] = "Danke und Grüße" },
        NoCompany: "Ihr Unternehmen",
        FactorReasons:
        [
            ("demo", "Sie sich eine Demo gewünscht haben"),
            ("pricing", "Sie nach den Preisen gefragt haben"),
            ("page", "Sie sich auf unserer Website über {product} informiert haben"),
            ("repl", "wir zuletzt im Austausch waren"),
            ("meeting", "wir uns bereits getroffen haben"),
            ("form", "Sie ein Formular auf unserer Website ausgefüllt haben"),
        ]);
}
