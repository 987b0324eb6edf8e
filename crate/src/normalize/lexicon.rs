//! Words of displayed times: months, weekdays, day words, relative units, time zones and
//! the filler words that may surround them. English, Spanish, French, German, Portuguese
//! and Italian. Every spelling here is lowercase with accents folded (see `tokens`).

use chrono::Weekday;

/// Month number (1-12) of a month name or abbreviation.
pub(super) fn month(w: &str) -> Option<u32> {
    let m = match w {
        "january" | "jan" | "enero" | "ene" | "janvier" | "janv" | "januar" | "janner"
        | "jaenner" | "janeiro" | "gennaio" | "gen" => 1,
        "february" | "feb" | "febr" | "febrero" | "fevrier" | "fevr" | "fev" | "februar"
        | "fevereiro" | "febbraio" => 2,
        "march" | "mar" | "marzo" | "mars" | "marz" | "maerz" | "marco" => 3,
        "april" | "apr" | "abril" | "abr" | "avril" | "avr" | "aprile" => 4,
        "may" | "mayo" | "mai" | "maio" | "maggio" | "mag" => 5,
        "june" | "jun" | "junio" | "juin" | "juni" | "junho" | "giugno" | "giu" => 6,
        "july" | "jul" | "julio" | "juillet" | "juil" | "juli" | "julho" | "luglio" | "lug" => 7,
        "august" | "aug" | "agosto" | "ago" | "aout" => 8,
        "september" | "sep" | "sept" | "septiembre" | "setiembre" | "set" | "septembre"
        | "setembro" | "settembre" => 9,
        "october" | "oct" | "octubre" | "octobre" | "oktober" | "okt" | "outubro" | "out"
        | "ottobre" | "ott" => 10,
        "november" | "nov" | "noviembre" | "novembre" | "novembro" => 11,
        "december" | "dec" | "diciembre" | "dic" | "decembre" | "dezember" | "dez" | "dezembro"
        | "dicembre" => 12,
        _ => return None,
    };
    Some(m)
}

/// Weekday of a weekday name or abbreviation (two-letter German forms are left out: too
/// ambiguous).
pub(super) fn weekday(w: &str) -> Option<Weekday> {
    let d = match w {
        "monday" | "mon" | "lunes" | "lun" | "lundi" | "montag" | "segunda" | "seg" | "lunedi" => {
            Weekday::Mon
        }
        "tuesday" | "tue" | "tues" | "martes" | "mar" | "mardi" | "dienstag" | "terca" | "ter"
        | "martedi" => Weekday::Tue,
        "wednesday" | "wed" | "miercoles" | "mie" | "mercredi" | "mer" | "mittwoch" | "quarta"
        | "qua" | "mercoledi" => Weekday::Wed,
        "thursday" | "thu" | "thur" | "thurs" | "jueves" | "jue" | "jeudi" | "jeu"
        | "donnerstag" | "quinta" | "qui" | "giovedi" | "gio" => Weekday::Thu,
        "friday" | "fri" | "viernes" | "vie" | "vendredi" | "ven" | "freitag" | "sexta" | "sex"
        | "venerdi" => Weekday::Fri,
        "saturday" | "sat" | "sabado" | "sab" | "samedi" | "sam" | "samstag" | "sonnabend"
        | "sabato" => Weekday::Sat,
        "sunday" | "sun" | "domingo" | "dom" | "dimanche" | "dim" | "sonntag" | "domenica" => {
            Weekday::Sun
        }
        _ => return None,
    };
    Some(d)
}

/// Days back from the capture date for "today", "yesterday" and "the day before yesterday".
pub(super) fn day_word(w: &str) -> Option<u64> {
    match w {
        "today" | "hoy" | "aujourd" | "heute" | "hoje" | "oggi" => Some(0),
        "yesterday" | "ayer" | "hier" | "gestern" | "ontem" | "ieri" => Some(1),
        "vorgestern" | "anteayer" | "anteontem" | "altroieri" => Some(2),
        _ => None,
    }
}

/// A unit of a relative time ("2 h", "3 weeks").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    /// Seconds.
    Second,
    /// Minutes.
    Minute,
    /// Hours.
    Hour,
    /// Days.
    Day,
    /// Weeks (7 days).
    Week,
    /// Calendar months.
    Month,
    /// Calendar years.
    Year,
}

/// The unit a word names, if any.
pub(super) fn unit(w: &str) -> Option<Unit> {
    let u = match w {
        "s" | "sec" | "secs" | "second" | "seconds" | "seg" | "segs" | "segundo" | "segundos"
        | "seconde" | "secondes" | "sek" | "sekunde" | "sekunden" | "secondo" | "secondi" => {
            Unit::Second
        }
        "m" | "min" | "mins" | "minute" | "minutes" | "minuto" | "minutos" | "minuten" | "mn"
        | "minuti" => Unit::Minute,
        "h" | "hr" | "hrs" | "hour" | "hours" | "hora" | "horas" | "heure" | "heures" | "std"
        | "stunde" | "stunden" | "ora" | "ore" => Unit::Hour,
        "d" | "day" | "days" | "dia" | "dias" | "jour" | "jours" | "j" | "tag" | "tage"
        | "tagen" | "giorno" | "giorni" => Unit::Day,
        "w" | "wk" | "wks" | "week" | "weeks" | "sem" | "semana" | "semanas" | "semaine"
        | "semaines" | "woche" | "wochen" | "settimana" | "settimane" => Unit::Week,
        "mo" | "mos" | "mth" | "mths" | "month" | "months" | "mes" | "meses" | "mois" | "monat"
        | "monate" | "monaten" | "mese" | "mesi" => Unit::Month,
        "y" | "yr" | "yrs" | "year" | "years" | "ano" | "anos" | "an" | "ans" | "annee"
        | "annees" | "jahr" | "jahre" | "jahren" | "anno" | "anni" => Unit::Year,
        _ => return None,
    };
    Some(u)
}

/// Words that stand for a count of one before a unit ("a day", "une heure", "einer Stunde").
pub(super) fn is_article(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "one"
            | "un"
            | "une"
            | "una"
            | "uno"
            | "ein"
            | "eine"
            | "einer"
            | "einem"
            | "einen"
            | "um"
            | "uma"
    )
}

/// Status words that may precede a displayed time ("Edited 3h ago").
pub(super) fn is_status_word(w: &str) -> bool {
    matches!(
        w,
        "edited"
            | "posted"
            | "sent"
            | "updated"
            | "modified"
            | "published"
            | "edite"
            | "modifie"
            | "publie"
            | "editado"
            | "publicado"
            | "enviado"
            | "bearbeitet"
            | "geandert"
            | "gesendet"
            | "modificato"
            | "inviato"
    )
}

/// Words allowed around a relative amount ("ago", "hace", "il y a", "vor", "fa", "há").
pub(super) fn is_relative_filler(w: &str) -> bool {
    is_status_word(w)
        || matches!(
            w,
            "ago"
                | "hace"
                | "il"
                | "y"
                | "a"
                | "vor"
                | "fa"
                | "ha"
                | "atras"
                | "about"
                | "around"
                | "approximately"
                | "approx"
                | "almost"
                | "over"
                | "ca"
                | "circa"
                | "environ"
                | "and"
                | "et"
                | "und"
                | "e"
        )
}

/// Whole phrases (words joined by one space) meaning "just now".
pub(super) fn is_now_phrase(p: &str) -> bool {
    matches!(
        p,
        "now"
            | "just now"
            | "right now"
            | "just"
            | "a moment ago"
            | "moments ago"
            | "a few moments ago"
            | "few seconds ago"
            | "a few seconds ago"
            | "seconds ago"
            | "ahora"
            | "ahora mismo"
            | "justo ahora"
            | "hace un momento"
            | "hace unos segundos"
            | "hace unos instantes"
            | "a l instant"
            | "l instant"
            | "maintenant"
            | "il y a quelques secondes"
            | "jetzt"
            | "gerade"
            | "gerade eben"
            | "eben"
            | "soeben"
            | "vor ein paar sekunden"
            | "vor wenigen sekunden"
            | "agora"
            | "agora mesmo"
            | "adesso"
            | "proprio ora"
            | "pochi secondi fa"
    )
}

/// Words allowed around an absolute or day-anchored time ("at", "a las", "um", "le", ordinals).
pub(super) fn is_absolute_filler(w: &str) -> bool {
    is_status_word(w)
        || matches!(
            w,
            "at" | "on"
                | "the"
                | "of"
                | "and"
                | "de"
                | "del"
                | "da"
                | "do"
                | "di"
                | "du"
                | "a"
                | "las"
                | "la"
                | "le"
                | "les"
                | "el"
                | "los"
                | "lo"
                | "um"
                | "am"
                | "alle"
                | "all"
                | "as"
                | "ao"
                | "o"
                | "em"
                | "en"
                | "im"
                | "den"
                | "der"
                | "et"
                | "y"
                | "und"
                | "e"
                | "h"
                | "hrs"
                | "hs"
                | "uhr"
                | "kl"
                | "feira"
                | "hui"
                | "st"
                | "nd"
                | "rd"
                | "th"
                | "er"
                | "eme"
                | "º"
                | "ª"
                | "t"
        )
}

/// Offset in seconds east of UTC for a time-zone abbreviation. Only unambiguous,
/// commonly displayed ones that are not also ordinary words (no IST: India, Ireland or
/// Israel?). CST is taken as US Central, as US sites display it.
pub(super) fn zone(w: &str) -> Option<i32> {
    const H: i32 = 3600;
    let s = match w {
        "utc" | "gmt" | "ut" | "z" | "wet" => 0,
        "bst" | "cet" | "mez" | "west" => H,
        "cest" | "mesz" | "eet" | "sast" => 2 * H,
        "eest" | "msk" => 3 * H,
        "awst" => 8 * H,
        "jst" | "kst" => 9 * H,
        "aest" => 10 * H,
        "aedt" => 11 * H,
        "nzst" => 12 * H,
        "nzdt" => 13 * H,
        "brt" => -3 * H,
        "edt" => -4 * H,
        "est" | "cdt" => -5 * H,
        "cst" | "mdt" => -6 * H,
        "mst" | "pdt" => -7 * H,
        "pst" | "akdt" => -8 * H,
        "akst" => -9 * H,
        "hst" => -10 * H,
        _ => return None,
    };
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_in_six_languages() {
        let cases: &[(&str, u32)] = &[
            ("jan", 1),
            ("enero", 1),
            ("janv", 1),
            ("gennaio", 1),
            ("fev", 2),
            ("marz", 3),
            ("marco", 3),
            ("abr", 4),
            ("mai", 5),
            ("mag", 5),
            ("juin", 6),
            ("giu", 6),
            ("juil", 7),
            ("aout", 8),
            ("ago", 8),
            ("set", 9),
            ("sept", 9),
            ("okt", 10),
            ("out", 10),
            ("nov", 11),
            ("dez", 12),
            ("dic", 12),
        ];
        for (w, m) in cases {
            assert_eq!(month(w), Some(*m), "{w}");
        }
        assert_eq!(month("foo"), None);
        assert_eq!(month(""), None);
    }

    #[test]
    fn weekdays_days_units_zones() {
        assert_eq!(weekday("miercoles"), Some(Weekday::Wed));
        assert_eq!(weekday("sonnabend"), Some(Weekday::Sat));
        assert_eq!(weekday("mar"), Some(Weekday::Tue));
        assert_eq!(weekday("may"), None);
        assert_eq!(day_word("gestern"), Some(1));
        assert_eq!(day_word("aujourd"), Some(0));
        assert_eq!(day_word("tomorrow"), None);
        assert_eq!(unit("hrs"), Some(Unit::Hour));
        assert_eq!(unit("mths"), Some(Unit::Month));
        assert_eq!(unit("an"), Some(Unit::Year));
        assert_eq!(unit("stunden"), Some(Unit::Hour));
        assert_eq!(unit("mar"), None);
        assert_eq!(zone("pdt"), Some(-7 * 3600));
        assert_eq!(zone("cest"), Some(7200));
        assert_eq!(zone("xyz"), None);
        assert!(is_now_phrase("just now"));
        assert!(!is_now_phrase("later"));
        assert!(is_article("an") && is_article("einer"));
        assert!(is_relative_filler("hace") && !is_relative_filler("in"));
        assert!(is_absolute_filler("um") && !is_absolute_filler("tomorrow"));
    }
}
