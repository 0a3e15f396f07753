"""The demo's texts, in English, French and Spanish.

Written for this demo and dedicated to the public domain (CC0 1.0).
"""

ROUND_HASHTAG = "PeersRound12"
PREVIOUS_ROUND_HASHTAG = "PeersRound11"

SITE_NAME = "Librarians' Peer Network"

# The credit of the demo's drawings, in each language.
CREDIT = {
    "en": {"creator": "wagtail-iln contributors", "licence": "cc0-1.0"},
    "fr": {"creator": "les contributeurs de wagtail-iln", "licence": "cc0-1.0"},
    "es": {"creator": "los colaboradores de wagtail-iln", "licence": "cc0-1.0"},
}

# key: (function in illustrations.py, {language: (title, description for alternative
# text)}). Each language has its own copy of a drawing, so that a translated page
# shows its images' alternative text and credit in its language.
IMAGES = {
    "reading-room": (
        "reading_room",
        {
            "en": (
                "Reading room at dusk",
                "A drawing of a library reading room at dusk: a tall arched window between "
                "two bookcases and green lamps on a long table.",
            ),
            "fr": (
                "Salle de lecture au crépuscule",
                "Dessin d'une salle de lecture de bibliothèque au crépuscule : une haute "
                "fenêtre cintrée entre deux bibliothèques et des lampes vertes sur une longue "
                "table.",
            ),
            "es": (
                "Sala de lectura al atardecer",
                "Dibujo de una sala de lectura de biblioteca al atardecer: una alta ventana en "
                "arco entre dos estanterías y lámparas verdes sobre una mesa larga.",
            ),
        },
    ),
    "bookshelves": (
        "bookshelves",
        {
            "en": (
                "A wall of books",
                "A drawing of floor-to-ceiling bookshelves with a wooden ladder and a potted "
                "plant.",
            ),
            "fr": (
                "Un mur de livres",
                "Dessin de rayonnages du sol au plafond, avec une échelle en bois et une plante "
                "en pot.",
            ),
            "es": (
                "Una pared de libros",
                "Dibujo de estanterías del suelo al techo con una escalera de madera y una "
                "planta en una maceta.",
            ),
        },
    ),
    "window-view": (
        "window_view",
        {
            "en": (
                "A window onto the hills",
                "A drawing of a library window looking out onto green hills, with books and a "
                "mug on the sill.",
            ),
            "fr": (
                "Une fenêtre sur les collines",
                "Dessin d'une fenêtre de bibliothèque donnant sur des collines vertes, avec des "
                "livres et une tasse sur le rebord.",
            ),
            "es": (
                "Una ventana a las colinas",
                "Dibujo de una ventana de biblioteca que da a unas colinas verdes, con libros y "
                "una taza en el alféizar.",
            ),
        },
    ),
    "study-desk": (
        "study_desk",
        {
            "en": (
                "Late study",
                "A drawing of a desk at night: an open book under a red lamp and a stack of books.",
            ),
            "fr": (
                "Étude tardive",
                "Dessin d'un bureau la nuit : un livre ouvert sous une lampe rouge et une pile "
                "de livres.",
            ),
            "es": (
                "Estudio a deshoras",
                "Dibujo de un escritorio de noche: un libro abierto bajo una lámpara roja y una "
                "pila de libros.",
            ),
        },
    ),
}

HOME = {
    "en": {
        "title": "Welcome",
        "slug": "home",
        "intro": (
            "<p>The Librarians' Peer Network pairs library and information workers from "
            "different countries for a few months of conversation. In each round, partners "
            "discuss a new topic every two weeks, share pictures of their workplaces and "
            "learn how libraries work elsewhere.</p>"
            "<p>This site is a demonstration of wagtail-iln, a Wagtail app for international "
            "peer-mentoring programmes.</p>"
        ),
    },
    "fr": {
        "title": "Bienvenue",
        "slug": "accueil",
        "intro": (
            "<p>Le Réseau de pairs des bibliothécaires met en relation, pendant quelques mois, "
            "des professionnels des bibliothèques et de l'information de pays différents. À "
            "chaque session, les binômes échangent sur un nouveau sujet toutes les deux "
            "semaines, partagent des photos de leur lieu de travail et découvrent comment "
            "fonctionnent les bibliothèques ailleurs.</p>"
            "<p>Ce site est une démonstration de wagtail-iln, une application Wagtail pour les "
            "programmes internationaux de mentorat entre pairs.</p>"
        ),
    },
    "es": {
        "title": "Bienvenida",
        "slug": "inicio",
        "intro": (
            "<p>La Red de Pares de Bibliotecarios pone en contacto, durante unos meses, a "
            "profesionales de bibliotecas y de la información de distintos países. En cada "
            "ronda, las parejas conversan sobre un tema nuevo cada dos semanas, comparten "
            "fotos de su lugar de trabajo y descubren cómo funcionan las bibliotecas en otros "
            "lugares.</p>"
            "<p>Este sitio es una demostración de wagtail-iln, una aplicación de Wagtail para "
            "programas internacionales de mentoría entre pares.</p>"
        ),
    },
}

INDEX = {
    "en": {
        "title": "Discussion",
        "slug": "discussion",
        "intro": (
            "<p>Every two weeks we publish a new topic for partners to discuss. Read the "
            "prompts, talk them over with your partner, and join the open conversation with "
            "the topic's hashtags.</p>"
        ),
    },
    "fr": {
        "title": "Discussions",
        "slug": "discussions",
        "intro": (
            "<p>Toutes les deux semaines, nous publions un nouveau sujet de discussion. "
            "Lisez les questions, parlez-en avec votre binôme et rejoignez la conversation "
            "publique avec les hashtags du sujet.</p>"
        ),
    },
    "es": {
        "title": "Debates",
        "slug": "debates",
        "intro": (
            "<p>Cada dos semanas publicamos un tema de conversación nuevo. Lee las "
            "preguntas, coméntalas con tu compañero o compañera y únete a la conversación "
            "pública con los hashtags del tema.</p>"
        ),
    },
}


def _prompt(heading, intro, questions):
    return ("prompt_section", {"heading": heading, "intro": intro, "questions": questions})


def _cta(heading, text, hashtags):
    return (
        "call_to_action",
        {"heading": heading, "text": text, "hashtags": hashtags, "show_share_links": True},
    )


FAVOURITE_FEATURE = {
    "en": {
        "title": "Getting to know you and your #favouritefeature",
        "slug": "getting-to-know-you",
        "intro": (
            "Round 12 takes applications now, and its partners start with this topic: "
            "introduce yourselves, show each other where you work, and share a photo of the "
            "best thing about your workplace."
        ),
        "body": [
            (
                "rich_text",
                "<p>Welcome to the first topic of the round! Whether this is your first "
                "partnership or your fourth, the opening fortnight is about getting to know "
                "each other. There is no need to cover everything: pick the questions that "
                "interest you and let the conversation find its own way.</p>"
                "<p>Many partners find it helps to agree early on <b>how</b> and <b>how "
                "often</b> to talk. E-mail suits some pairs, video calls suit others, and "
                "time zones may make the choice for you. A short message every week usually "
                "works better than one long letter a month.</p>",
            ),
            _prompt(
                "Your workplace",
                "Libraries differ enormously from one country to the next, and even from one "
                "street to the next. Help your partner picture yours.",
                [
                    "What kind of library or information service do you work in, and who uses it?",
                    "What does a typical day look like for you?",
                    "What is your library's favourite feature: a space, a collection, a "
                    "service or a tradition that makes it special?",
                ],
            ),
            _prompt(
                "You",
                "Partnerships work best when you know a little about the person behind the "
                "job title.",
                [
                    "How did you come to work in libraries?",
                    "What do you enjoy most about your work, and what would you change if "
                    "you could?",
                    "What do you like to do when you are not at work?",
                ],
            ),
            _prompt(
                "Your partnership",
                "Take a few minutes to agree how you will work together for the rest of the round.",
                [
                    "How, and how often, would you like to keep in touch?",
                    "Which languages are you comfortable writing in, and how can you make "
                    "the conversation easy for both of you?",
                    "What do you each hope to get out of this partnership?",
                ],
            ),
            _prompt(
                "Returning participants",
                "If you have taken part before, your experience is valuable to your new partner.",
                [
                    "What did you learn from your previous partnerships?",
                    "Is there anything you would do differently this time?",
                    "Are you still in touch with a former partner?",
                ],
            ),
            (
                "image",
                {
                    "image": "bookshelves",
                    "caption": "Every library has a corner its regulars love. Which is yours?",
                },
            ),
            _cta(
                "Show us your #favouritefeature",
                "Take a photo of the best thing about your workplace and share it with your "
                "partner. If you post it publicly, add both hashtags below so that other "
                "participants can find it. Please check that anyone in the picture is happy "
                "to appear in it.",
                ["favouritefeature", ROUND_HASHTAG],
            ),
        ],
    },
    "fr": {
        "title": "Faisons connaissance : votre #favouritefeature",
        "slug": "faisons-connaissance",
        "intro": (
            "Les candidatures à la session 12 sont ouvertes, et ses binômes commenceront par "
            "ce sujet : présentez-vous, montrez-vous où vous travaillez et partagez une photo "
            "de ce que vous préférez dans votre lieu de travail."
        ),
        "body": [
            (
                "rich_text",
                "<p>Bienvenue dans le premier sujet de la session ! Que ce soit votre premier "
                "binôme ou votre quatrième, ces deux premières semaines servent à faire "
                "connaissance. Inutile de tout aborder : choisissez les questions qui vous "
                "intéressent et laissez la conversation suivre son cours.</p>"
                "<p>Beaucoup de binômes trouvent utile de convenir rapidement de <b>la "
                "manière</b> et de <b>la fréquence</b> de leurs échanges. Certains préfèrent "
                "le courriel, d'autres les appels vidéo, et les fuseaux horaires trancheront "
                "peut-être pour vous. Un court message chaque semaine fonctionne généralement "
                "mieux qu'une longue lettre par mois.</p>",
            ),
            _prompt(
                "Votre lieu de travail",
                "Les bibliothèques varient énormément d'un pays à l'autre, et même d'une rue "
                "à l'autre. Aidez votre binôme à se représenter la vôtre.",
                [
                    "Dans quel type de bibliothèque ou de service d'information travaillez-"
                    "vous, et qui le fréquente ?",
                    "À quoi ressemble une journée type pour vous ?",
                    "Quel est le point fort de votre bibliothèque : un espace, une "
                    "collection, un service ou une tradition qui la rend unique ?",
                ],
            ),
            _prompt(
                "Vous",
                "Un binôme fonctionne mieux quand on connaît un peu la personne qui se cache "
                "derrière l'intitulé de poste.",
                [
                    "Quel a été votre parcours jusqu'aux bibliothèques ?",
                    "Qu'est-ce qui vous plaît le plus dans votre travail, et que changeriez-"
                    "vous si vous le pouviez ?",
                    "Que faites-vous quand vous ne travaillez pas ?",
                ],
            ),
            _prompt(
                "Votre binôme",
                "Prenez quelques minutes pour convenir de la façon dont vous travaillerez "
                "ensemble jusqu'à la fin de la session.",
                [
                    "Comment, et à quelle fréquence, souhaitez-vous rester en contact ?",
                    "Dans quelles langues êtes-vous à l'aise pour écrire, et comment rendre "
                    "la conversation facile pour vous deux ?",
                    "Qu'espérez-vous, l'un comme l'autre, retirer de ce binôme ?",
                ],
            ),
            _prompt(
                "Anciens participants",
                "Si vous avez déjà participé, votre expérience est précieuse pour votre "
                "nouveau binôme.",
                [
                    "Qu'avez-vous appris de vos binômes précédents ?",
                    "Y a-t-il quelque chose que vous feriez différemment cette fois-ci ?",
                    "Êtes-vous toujours en contact avec un ancien binôme ?",
                ],
            ),
            (
                "image",
                {
                    "image": "bookshelves",
                    "caption": "Chaque bibliothèque a un coin "
                    "que ses habitués adorent. Quel est le vôtre ?",
                },
            ),
            _cta(
                "Montrez-nous votre #favouritefeature",
                "Prenez en photo ce que vous préférez dans votre lieu de travail et "
                "partagez-la avec votre binôme. Si vous la publiez, ajoutez les deux hashtags "
                "ci-dessous pour que les autres participants puissent la trouver. Vérifiez que "
                "les personnes visibles sur la photo sont d'accord pour y figurer.",
                ["favouritefeature", ROUND_HASHTAG],
            ),
        ],
    },
    "es": {
        "title": "Conozcámonos: tu #favouritefeature",
        "slug": "conozcamonos",
        "intro": (
            "La ronda 12 está abierta a inscripciones, y sus parejas empezarán con este tema: "
            "preséntate, enseñaos dónde trabajáis y comparte una foto de lo que más te gusta "
            "de tu lugar de trabajo."
        ),
        "body": [
            (
                "rich_text",
                "<p>¡Te damos la bienvenida al primer tema de la ronda! Tanto si es tu primera "
                "pareja de mentoría como si es la cuarta, estas dos primeras semanas sirven "
                "para conocerse. No hace falta hablar de todo: elige las preguntas que te "
                "interesen y deja que la conversación fluya.</p>"
                "<p>A muchas parejas les resulta útil acordar pronto <b>cómo</b> y <b>con qué "
                "frecuencia</b> comunicarse. A algunas les va mejor el correo electrónico, a "
                "otras las videollamadas, y puede que los husos horarios tomen la decisión. "
                "Un mensaje breve cada semana suele funcionar mejor que una carta larga al "
                "mes.</p>",
            ),
            _prompt(
                "Tu lugar de trabajo",
                "Las bibliotecas son muy distintas de un país a otro, e incluso de una calle "
                "a otra. Ayuda a tu compañero o compañera a imaginar la tuya.",
                [
                    "¿En qué tipo de biblioteca o servicio de información trabajas y quién lo "
                    "utiliza?",
                    "¿Cómo es un día normal para ti?",
                    "¿Qué es lo mejor de tu biblioteca: un espacio, una colección, un "
                    "servicio o una tradición que la hace especial?",
                ],
            ),
            _prompt(
                "Tú",
                "Una pareja de mentoría funciona mejor cuando conoces un poco a la persona "
                "que hay detrás del cargo.",
                [
                    "¿Cómo llegaste a trabajar en bibliotecas?",
                    "¿Qué es lo que más disfrutas de tu trabajo y qué cambiarías si pudieras?",
                    "¿Qué te gusta hacer cuando no estás trabajando?",
                ],
            ),
            _prompt(
                "Tu pareja de mentoría",
                "Dedica unos minutos a acordar con tu compañero o compañera cómo colaborar "
                "durante el resto de la ronda.",
                [
                    "¿Cómo y con qué frecuencia quieres mantener el contacto?",
                    "¿En qué idiomas te resulta cómodo escribir y cómo hacer que la "
                    "conversación sea fácil para las dos personas?",
                    "¿Qué esperas obtener de esta colaboración?",
                ],
            ),
            _prompt(
                "Participantes que repiten",
                "Si ya has participado antes, tu experiencia es valiosa para tu nueva pareja "
                "de mentoría.",
                [
                    "¿Qué aprendiste de tus colaboraciones anteriores?",
                    "¿Hay algo que harías de otra manera esta vez?",
                    "¿Sigues en contacto con alguna de tus parejas anteriores?",
                ],
            ),
            (
                "image",
                {
                    "image": "bookshelves",
                    "caption": "Cada biblioteca tiene un rincón "
                    "que su público habitual adora. ¿Cuál es el tuyo?",
                },
            ),
            _cta(
                "Muéstranos tu #favouritefeature",
                "Haz una foto de lo mejor de tu lugar de trabajo y compártela con tu "
                "compañero o compañera. Si la publicas, añade los dos hashtags de abajo para "
                "que el resto de participantes pueda encontrarla. Asegúrate de que quienes "
                "aparecen en la foto están de acuerdo.",
                ["favouritefeature", ROUND_HASHTAG],
            ),
        ],
    },
}

PROFESSIONAL_DEVELOPMENT = {
    "en": {
        "title": "Professional development",
        "slug": "professional-development",
        "intro": (
            "Where do library workers learn new skills, and who pays for it? Compare how "
            "professional development works in your two countries."
        ),
        "body": [
            (
                "rich_text",
                "<p>Professional development looks very different around the world. In some "
                "places it is built into every job and generously funded; in others, "
                "librarians pay for courses themselves or learn mostly from colleagues. This "
                "fortnight, compare notes with your partner and look for ideas you could "
                "borrow.</p>",
            ),
            _prompt(
                "Your workplace",
                "Start with how learning happens where you work.",
                [
                    "Does your employer give you time or money for training? How do you ask "
                    "for it?",
                    "Which skills are most in demand in your library right now?",
                ],
            ),
            _prompt(
                "You",
                "Then talk about your own learning.",
                [
                    "What is the most useful thing you have learned since you started working?",
                    "Do you belong to a professional association? What does it offer you?",
                    "Which free courses, podcasts, newsletters or communities would you recommend?",
                ],
            ),
            _prompt(
                "Your partnership",
                "Finally, see what you can learn from each other.",
                [
                    "Does your partner have a skill you would like to learn?",
                    "Could you present something together, or write about your partnership "
                    "for a newsletter?",
                ],
            ),
            _cta(
                "Share a resource",
                "Found a course, a webinar or an article that helped you? Share it with the "
                "hashtags below so that other participants can benefit too.",
                ["professionaldevelopment", PREVIOUS_ROUND_HASHTAG],
            ),
        ],
    },
}

SETTING_GOALS = {
    "en": {
        "title": "Your partnership: setting goals",
        "slug": "setting-goals",
        "intro": (
            "You have been talking for a few weeks now. Look back at what you have shared so "
            "far and decide what you want to achieve together before the round ends."
        ),
        "body": [
            (
                "rich_text",
                "<p>Partnerships that set themselves a small, concrete goal tend to stay "
                "active for longer. A goal can be modest: read the same article and discuss "
                "it, swap a short video tour of your libraries, or compare how you each "
                "handle a common problem such as overdue loans or noisy study areas.</p>"
                "<ul><li>Keep it small enough to finish within the round.</li>"
                "<li>Write it down and share it with your partner.</li>"
                "<li>Agree on a date to check how you are getting on.</li></ul>",
            ),
            _prompt(
                "Your partnership",
                "Look back over your first conversations.",
                [
                    "Which of your conversations so far has been the most interesting, and why?",
                    "What gets in the way of keeping in touch, and how could you make it easier?",
                    "What is one thing you would like to do together before the round ends?",
                ],
            ),
            _prompt(
                "You",
                "Goals are personal, too.",
                [
                    "What would make this partnership worthwhile for you?",
                    "Is there a question about your work on which you would value your "
                    "partner's view?",
                ],
            ),
            _cta(
                "Tell us your goal",
                "Share the goal you have set with your partner. Short and specific is best.",
                ["partnershipgoals", PREVIOUS_ROUND_HASHTAG],
            ),
        ],
    },
}

# Oldest first: (content, hero image key, hashtags, the round it belongs to, days
# after that round's start it was published (None: the day the demo is loaded),
# days its discussion stays open). Round 11's topics were published while it ran,
# last year; round 12's opening topic is published while it takes applications.
TOPICS = [
    (
        PROFESSIONAL_DEVELOPMENT,
        "study-desk",
        ["professionaldevelopment", PREVIOUS_ROUND_HASHTAG],
        "11",
        14,
        13,
    ),
    (SETTING_GOALS, "window-view", ["partnershipgoals", PREVIOUS_ROUND_HASHTAG], "11", 28, 13),
    (FAVOURITE_FEATURE, "reading-room", ["favouritefeature", ROUND_HASHTAG], "12", None, 13),
]

# The photo campaign of the #favouritefeature topic, in each language.
CAMPAIGN = {
    "hashtags": f"#favouritefeature #{ROUND_HASHTAG}",
    "moderator_emails": ["moderator@example.org"],
    "en": {
        "name": "#favouritefeature",
        "prompt": (
            "<p>Show us the best thing about your workplace: a corner, a collection, a "
            "service or a habit your colleagues would miss. Send a photo and a few words on "
            "why it matters to you. A moderator looks at every photo before it appears "
            "among the favourite features.</p>"
        ),
    },
    "fr": {
        "name": "#favouritefeature",
        "prompt": (
            "<p>Montrez-nous ce que vous préférez dans votre lieu de travail : un coin, une "
            "collection, un service ou une habitude qui manquerait à vos collègues. Envoyez "
            "une photo et quelques mots sur ce qu'elle représente pour vous. Chaque photo est "
            "vérifiée avant d'apparaître parmi «&nbsp;Vos lieux préférés&nbsp;».</p>"
        ),
    },
    "es": {
        "name": "#favouritefeature",
        "prompt": (
            "<p>Enséñanos lo mejor de tu lugar de trabajo: un rincón, una colección, un "
            "servicio o una costumbre que tus colegas echarían de menos. Envía una foto y unas "
            "palabras sobre por qué es importante para ti. Cada foto se revisa antes de "
            "aparecer en «Lo mejor de cada biblioteca».</p>"
        ),
    },
}

# The photo blocks added to the #favouritefeature topic: "campaign" is replaced
# by the campaign in the page's language.
PHOTO_BLOCKS = {
    "en": [
        ("photo_submission_form", {"campaign": "campaign", "heading": "Send your photo"}),
        (
            "photo_gallery",
            {
                "campaign": "campaign",
                "heading": "Favourite features",
                "per_page": 12,
                "layout": "grid",
            },
        ),
    ],
    "fr": [
        ("photo_submission_form", {"campaign": "campaign", "heading": "Envoyez votre photo"}),
        (
            "photo_gallery",
            {
                "campaign": "campaign",
                "heading": "Vos lieux préférés",
                "per_page": 12,
                "layout": "grid",
            },
        ),
    ],
    "es": [
        ("photo_submission_form", {"campaign": "campaign", "heading": "Envía tu foto"}),
        (
            "photo_gallery",
            {
                "campaign": "campaign",
                "heading": "Lo mejor de cada biblioteca",
                "per_page": 12,
                "layout": "grid",
            },
        ),
    ],
}

# Photos sent by fictional participants, oldest first: the drawing, the language of
# the page they were sent from, whether a moderator approved it, and the form's fields.
PHOTOS = [
    (
        "reading_nook",
        "en",
        True,
        {
            "title": "The nook under the stairs",
            "story": (
                "Nobody planned it as a reading space, but the space under our staircase "
                "is now the quietest seat in the building.\n"
                "Regulars leave notes in the books they recommend."
            ),
            "credit_name": "Ama Owusu",
            "email": "ama.owusu@example.org",
            "country": "GH",
            "workplace": "Adum Community Library",
            "licence": "cc-by-4.0",
        },
    ),
    (
        "mural",
        "es",
        True,
        {
            "title": "El mural de la sala infantil",
            "story": (
                "Los niños del barrio pintaron este árbol de libros con un artista local. "
                "Cada hoja lleva el título de su cuento favorito."
            ),
            "credit_name": "Lucía Ramírez",
            "email": "lucia.ramirez@example.org",
            "country": "MX",
            "workplace": "Biblioteca Pública Vasconcelos de Barrio",
            "licence": "cc-by-sa-4.0",
        },
    ),
    (
        "plant_window",
        "en",
        True,
        {
            "title": "The periodicals window",
            "story": (
                "Every plant on these shelves was a cutting brought in by a reader. "
                "We swap them twice a year at our seed and plant library."
            ),
            "credit_name": "Tomasz Nowak",
            "email": "tomasz.nowak@example.org",
            "country": "PL",
            "workplace": "Miejska Biblioteka Publiczna",
            "licence": "cc0-1.0",
        },
    ),
    (
        "returns_trolley",
        "fr",
        False,
        {
            "title": "Le chariot des retours",
            "story": "Tout ce que nos lecteurs ont aimé cette semaine passe par ici.",
            "credit_name": "Claire Martin",
            "email": "claire.martin@example.org",
            "country": "CA",
            "workplace": "Bibliothèque de quartier",
            "licence": "cc-by-4.0",
        },
    ),
]


# The open discussion under the #favouritefeature topic: (key, language, parent key,
# approved, name, e-mail, text). One thread, shared by the three translations.
COMMENTS = [
    (
        "welcome",
        "en",
        None,
        True,
        "Siosaia",
        "siosaia@example.org",
        "Our favourite feature is the verandah where students read in the afternoon "
        "breeze. Looking forward to meeting my partner!",
    ),
    (
        "welcome-reply",
        "en",
        "welcome",
        True,
        "Maren",
        "maren@example.org",
        "A reading verandah sounds wonderful. Ours is a window seat facing the fjord.",
    ),
    (
        "bonjour",
        "fr",
        None,
        True,
        "Awa",
        "awa@example.org",
        "Chez nous, c'est la salle des périodiques : on y croise tout le quartier.",
    ),
    (
        "held",
        "en",
        None,
        False,
        "Dev",
        "dev@example.org",
        "First time here: our library has a seed lending library in old card catalogue "
        "drawers. More at https://example.org/seeds and https://example.org/drawers "
        "and https://example.org/garden",
    ),
]

# The programme's rounds: the last one, closed, and the current one, taking
# applications. Dates are set relative to the day the demo is loaded.
ROUNDS = {
    "11": {
        "en": {
            "name": "Round 11",
            "description": (
                "Last year's round: partners met from February to July and shared their "
                "goals with #PeersRound11."
            ),
        },
        "fr": {
            "name": "Session 11",
            "description": (
                "La session de l'an dernier : les binômes se sont retrouvés de février à juillet "
                "et ont partagé leurs objectifs avec #PeersRound11."
            ),
        },
        "es": {
            "name": "Ronda 11",
            "description": (
                "La ronda del año pasado: las parejas se reunieron de febrero a julio y "
                "compartieron sus metas con #PeersRound11."
            ),
        },
    },
    "12": {
        "en": {
            "name": "Round 12",
            "description": (
                "The current round. Apply by the closing date: partnerships are announced "
                "a week later and meet for five months."
            ),
        },
        "fr": {
            "name": "Session 12",
            "description": (
                "La session en cours. Inscrivez-vous avant la date limite : les binômes sont "
                "annoncés une semaine plus tard et se retrouvent pendant cinq mois."
            ),
        },
        "es": {
            "name": "Ronda 12",
            "description": (
                "La ronda actual. Inscríbete antes de la fecha de cierre: las parejas se "
                "anuncian una semana después y se reúnen durante cinco meses."
            ),
        },
    },
}

# Placed near the top of the #favouritefeature topic, after its first paragraph:
# "round" is replaced by round 12 in the page's language.
ROUND_BLOCKS = {
    "en": [
        ("round_stats", {"round": "round", "heading": "Round 12 in numbers", "show_chart": True}),
        ("round_application_form", {"round": "round", "heading": "Not signed up yet? Apply now"}),
    ],
    "fr": [
        (
            "round_stats",
            {"round": "round", "heading": "La session 12 en chiffres", "show_chart": True},
        ),
        (
            "round_application_form",
            {"round": "round", "heading": "Pas encore inscrit ? Posez votre candidature"},
        ),
    ],
    "es": [
        ("round_stats", {"round": "round", "heading": "La ronda 12 en cifras", "show_chart": True}),
        (
            "round_application_form",
            {"round": "round", "heading": "¿Aún no te has inscrito? Hazlo ahora"},
        ),
    ],
}

# The privacy notice, under the home page of each language.
PRIVACY = {
    "en": {
        "title": "Privacy",
        "slug": "privacy",
        "intro": (
            "What the Librarians' Peer Network keeps about you, why, and for how long. This "
            "notice is demo content: a real programme writes its own."
        ),
        "body": (
            "<h2>What we keep</h2>"
            "<ul><li>Your application: your name, e-mail address, country, city, time zone, "
            "languages, workplace and what you hope to get from a partnership.</li>"
            "<li>The photos you send, with their story, credit and licence. Their location "
            "data is removed when they arrive.</li>"
            "<li>Your comments, the name you give with them, and a keyed hash of your e-mail "
            "address.</li></ul>"
            "<h2>Why</h2>"
            "<p>Only to run the programme: to match partners, to e-mail you its topics and "
            "reminders, and to show the photos and comments moderators have approved.</p>"
            "<h2>For how long</h2>"
            "<p>Two years after your last round ends, unless you take part again. The file of a "
            "photo that is rejected is deleted straight away.</p>"
            "<h2>Your rights</h2>"
            "<p>You can see, correct, download or erase what we hold at any time from "
            '<a href="/iln/my-data/">your data</a>, and withdraw your consent there.</p>'
        ),
    },
    "fr": {
        "title": "Confidentialité",
        "slug": "confidentialite",
        "intro": (
            "Ce que le Réseau de pairs des bibliothécaires conserve sur vous, pourquoi et "
            "combien de temps. Cette notice est un contenu de démonstration : un vrai "
            "programme rédige la sienne."
        ),
        "body": (
            "<h2>Ce que nous conservons</h2>"
            "<ul><li>Votre candidature : nom, adresse e-mail, pays, ville, fuseau horaire, "
            "langues, lieu de travail et ce que vous attendez d'un binôme.</li>"
            "<li>Les photos que vous envoyez, avec leur histoire, leur crédit et leur "
            "licence. Leurs données de localisation sont supprimées à leur arrivée.</li>"
            "<li>Vos commentaires, le nom que vous leur donnez et une empreinte chiffrée de "
            "votre adresse e-mail.</li></ul>"
            "<h2>Pourquoi</h2>"
            "<p>Uniquement pour faire fonctionner le programme : former les binômes, vous "
            "envoyer ses sujets et ses rappels, et montrer les photos et commentaires "
            "approuvés par les modérateurs.</p>"
            "<h2>Combien de temps</h2>"
            "<p>Deux ans après la fin de votre dernière session, sauf si vous participez à "
            "nouveau. Le fichier d'une photo refusée est supprimé aussitôt.</p>"
            "<h2>Vos droits</h2>"
            "<p>Vous pouvez à tout moment consulter, corriger, télécharger ou effacer ce que "
            'nous conservons depuis <a href="/fr/iln/my-data/">vos données</a>, et y retirer '
            "votre consentement.</p>"
        ),
    },
    "es": {
        "title": "Privacidad",
        "slug": "privacidad",
        "intro": (
            "Qué guarda de ti la Red de Pares de Bibliotecarios, por qué y durante cuánto "
            "tiempo. Este aviso es contenido de demostración: un programa real escribe el "
            "suyo."
        ),
        "body": (
            "<h2>Qué guardamos</h2>"
            "<ul><li>Tu solicitud: nombre, dirección de correo electrónico, país, ciudad, zona "
            "horaria, idiomas, lugar de trabajo y lo que esperas de una pareja.</li>"
            "<li>Las fotos que envías, con su historia, su crédito y su licencia. Sus datos de "
            "ubicación se eliminan al recibirlas.</li>"
            "<li>Tus comentarios, el nombre con el que los firmas y un hash con clave de tu "
            "dirección de correo electrónico.</li></ul>"
            "<h2>Para qué</h2>"
            "<p>Solo para llevar el programa: formar las parejas, enviarte sus temas y "
            "recordatorios, y mostrar las fotos y los comentarios aprobados por la "
            "moderación.</p>"
            "<h2>Durante cuánto tiempo</h2>"
            "<p>Dos años después del final de tu última ronda, salvo que vuelvas a "
            "participar. El archivo de una foto rechazada se borra enseguida.</p>"
            "<h2>Tus derechos</h2>"
            "<p>Puedes ver, corregir, descargar o borrar lo que guardamos en cualquier momento "
            'desde <a href="/es/iln/my-data/">tus datos</a>, y retirar allí tu '
            "consentimiento.</p>"
        ),
    },
}
