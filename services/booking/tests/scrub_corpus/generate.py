#!/usr/bin/env python3
"""Deterministic generator for the scrubber recall / false-positive corpus.

Writes summaries.jsonl (planted personal data) and ordinary.jsonl (none) next
to this file, then validates both.  Run:  python3 generate.py
Only the committed .jsonl files are read by the test; this script documents
how they were made and lets them be regenerated (fixed seed).

The sentence frames below are hand-written consultant-style notes.  Slots in
braces are filled with personal data in many real-world spellings; every
planted item is recorded with its exact substring.
"""
import json
import os
import random
import re
import sys
import unicodedata

SEED = 20260417
HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------
FW_TABLE = {c: chr(ord(c) + 0xFEE0) for c in
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@.-_:/+~?=&%#"}
FW_TABLE["-"] = "－"


def fw(s):
    """Full-width, as a Japanese IME produces it."""
    return "".join(FW_TABLE.get(c, c) for c in s)


def fwd(s):
    """Full-width digits only (dashes etc. kept)."""
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in s)


def hira(kata):
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in kata)


KANJI_NUM = "〇一二三四五六七八九"


def kanji_num(n):
    if n < 10:
        return KANJI_NUM[n]
    t, o = divmod(n, 10)
    return ("" if t == 1 else KANJI_NUM[t]) + "十" + ("" if o == 0 else KANJI_NUM[o])


def norm(s):
    return "".join(unicodedata.normalize("NFKC", s).casefold().split())


def wpick(rng, items):
    """items: list of (weight, value)."""
    total = sum(w for w, _ in items)
    x = rng.random() * total
    for w, v in items:
        x -= w
        if x <= 0:
            return v
    return items[-1][1]


def digits(rng, n, first_nonzero=False):
    s = "".join(rng.choice("0123456789") for _ in range(n))
    if first_nonzero and s[0] == "0":
        s = rng.choice("123456789") + s[1:]
    return s


# --------------------------------------------------------------------------
# name pools
# --------------------------------------------------------------------------
# (kanji, katakana reading, romaji spellings as people type them)
SURNAMES = [
    ("佐藤", "サトウ", "Sato|Satou|Satoh"), ("鈴木", "スズキ", "Suzuki"),
    ("高橋", "タカハシ", "Takahashi"), ("田中", "タナカ", "Tanaka"),
    ("伊藤", "イトウ", "Ito|Itou|Itoh"), ("渡辺", "ワタナベ", "Watanabe"),
    ("山本", "ヤマモト", "Yamamoto"), ("中村", "ナカムラ", "Nakamura"),
    ("小林", "コバヤシ", "Kobayashi"), ("加藤", "カトウ", "Kato|Katou|Katoh"),
    ("吉田", "ヨシダ", "Yoshida"), ("山田", "ヤマダ", "Yamada"),
    ("佐々木", "ササキ", "Sasaki"), ("山口", "ヤマグチ", "Yamaguchi"),
    ("松本", "マツモト", "Matsumoto"), ("井上", "イノウエ", "Inoue"),
    ("木村", "キムラ", "Kimura"), ("清水", "シミズ", "Shimizu"),
    ("山崎", "ヤマザキ", "Yamazaki"), ("阿部", "アベ", "Abe"),
    ("池田", "イケダ", "Ikeda"), ("橋本", "ハシモト", "Hashimoto"),
    ("石川", "イシカワ", "Ishikawa"), ("前田", "マエダ", "Maeda"),
    ("藤田", "フジタ", "Fujita"), ("小川", "オガワ", "Ogawa"),
    ("岡田", "オカダ", "Okada"), ("後藤", "ゴトウ", "Goto|Gotou|Gotoh"),
    ("長谷川", "ハセガワ", "Hasegawa"), ("村上", "ムラカミ", "Murakami"),
    ("近藤", "コンドウ", "Kondo|Kondou|Kondoh"), ("石井", "イシイ", "Ishii"),
    ("坂本", "サカモト", "Sakamoto"), ("遠藤", "エンドウ", "Endo|Endou|Endoh"),
    ("青木", "アオキ", "Aoki"), ("藤井", "フジイ", "Fujii"),
    ("西村", "ニシムラ", "Nishimura"), ("福田", "フクダ", "Fukuda"),
    ("太田", "オオタ", "Ota|Ohta|Oota"), ("三浦", "ミウラ", "Miura"),
    ("藤原", "フジワラ", "Fujiwara"), ("岡本", "オカモト", "Okamoto"),
    ("松田", "マツダ", "Matsuda"), ("中川", "ナカガワ", "Nakagawa"),
    ("原田", "ハラダ", "Harada"), ("小野", "オノ", "Ono"),
    ("竹内", "タケウチ", "Takeuchi"), ("金子", "カネコ", "Kaneko"),
    ("和田", "ワダ", "Wada"), ("石田", "イシダ", "Ishida"),
    ("森田", "モリタ", "Morita"), ("柴田", "シバタ", "Shibata"),
    ("宮崎", "ミヤザキ", "Miyazaki"), ("酒井", "サカイ", "Sakai"),
    ("工藤", "クドウ", "Kudo|Kudou|Kudoh"), ("横山", "ヨコヤマ", "Yokoyama"),
    ("宮本", "ミヤモト", "Miyamoto"), ("内田", "ウチダ", "Uchida"),
    ("高木", "タカギ", "Takagi"), ("安藤", "アンドウ", "Ando|Andou|Andoh"),
    ("島田", "シマダ", "Shimada"), ("谷口", "タニグチ", "Taniguchi"),
    ("大野", "オオノ", "Ono|Ohno|Oono"), ("今井", "イマイ", "Imai"),
    ("河野", "コウノ", "Kono|Kouno|Kohno"), ("武田", "タケダ", "Takeda"),
    ("杉山", "スギヤマ", "Sugiyama"), ("村田", "ムラタ", "Murata"),
    ("増田", "マスダ", "Masuda"), ("大塚", "オオツカ", "Otsuka|Ohtsuka"),
    ("菅原", "スガワラ", "Sugawara"), ("久保", "クボ", "Kubo"),
    ("野口", "ノグチ", "Noguchi"), ("木下", "キノシタ", "Kinoshita"),
    ("新井", "アライ", "Arai"), ("望月", "モチヅキ", "Mochizuki"),
    ("五十嵐", "イガラシ", "Igarashi"), ("東海林", "ショウジ", "Shoji|Shouji"),
]
ONE_KANJI_SURNAMES = [
    ("林", "ハヤシ", "Hayashi"), ("森", "モリ", "Mori"), ("原", "ハラ", "Hara"),
    ("南", "ミナミ", "Minami"), ("東", "アズマ", "Azuma"), ("北", "キタ", "Kita"),
    ("西", "ニシ", "Nishi"), ("関", "セキ", "Seki"), ("堀", "ホリ", "Hori"),
    ("岡", "オカ", "Oka"), ("谷", "タニ", "Tani"), ("辻", "ツジ", "Tsuji"),
    ("泉", "イズミ", "Izumi"), ("星", "ホシ", "Hoshi"), ("島", "シマ", "Shima"),
    ("浜", "ハマ", "Hama"), ("柳", "ヤナギ", "Yanagi"), ("楠", "クスノキ", "Kusunoki"),
    ("町", "マチ", "Machi"), ("林", "ハヤシ", "Hayashi"), ("森", "モリ", "Mori"),
]
GIVEN = [
    ("花子", "ハナコ", "Hanako", "f"), ("太郎", "タロウ", "Taro|Tarou", "m"),
    ("翔太", "ショウタ", "Shota|Shouta", "m"), ("美咲", "ミサキ", "Misaki", "f"),
    ("健", "ケン", "Ken", "m"), ("陽菜", "ヒナ", "Hina", "f"),
    ("大輔", "ダイスケ", "Daisuke", "m"), ("直樹", "ナオキ", "Naoki", "m"),
    ("由美", "ユミ", "Yumi", "f"), ("恵", "メグミ", "Megumi", "f"),
    ("拓也", "タクヤ", "Takuya", "m"), ("真由美", "マユミ", "Mayumi", "f"),
    ("和也", "カズヤ", "Kazuya", "m"), ("彩", "アヤ", "Aya", "f"),
    ("優子", "ユウコ", "Yuko|Yuuko", "f"), ("誠", "マコト", "Makoto", "m"),
    ("愛", "アイ", "Ai", "f"), ("亮", "リョウ", "Ryo|Ryou", "m"),
    ("翼", "ツバサ", "Tsubasa", "m"), ("美穂", "ミホ", "Miho", "f"),
    ("聡", "サトシ", "Satoshi", "m"), ("沙織", "サオリ", "Saori", "f"),
    ("浩二", "コウジ", "Koji|Kouji", "m"), ("千尋", "チヒロ", "Chihiro", "f"),
    ("蓮", "レン", "Ren", "m"), ("葵", "アオイ", "Aoi", "f"),
    ("悠真", "ユウマ", "Yuma|Yuuma", "m"), ("結衣", "ユイ", "Yui", "f"),
    ("智子", "トモコ", "Tomoko", "f"), ("雅人", "マサト", "Masato", "m"),
    ("純一", "ジュンイチ", "Junichi", "m"), ("麻衣", "マイ", "Mai", "f"),
    ("健太", "ケンタ", "Kenta", "m"), ("理恵", "リエ", "Rie", "f"),
    ("大樹", "ダイキ", "Daiki", "m"), ("奈々", "ナナ", "Nana", "f"),
    ("隆", "タカシ", "Takashi", "m"), ("舞", "マイ", "Mai", "f"),
    ("修", "オサム", "Osamu", "m"), ("香織", "カオリ", "Kaori", "f"),
    ("光", "ヒカル", "Hikaru", "m"), ("明美", "アケミ", "Akemi", "f"),
    ("一郎", "イチロウ", "Ichiro|Ichirou", "m"), ("薫", "カオル", "Kaoru", "f"),
    ("久美子", "クミコ", "Kumiko", "f"), ("司", "ツカサ", "Tsukasa", "m"),
    ("望", "ノゾミ", "Nozomi", "f"), ("優", "ユウ", "Yu|Yuu", "m"),
    ("空", "ソラ", "Sora", "f"), ("純", "ジュン", "Jun", "m"),
    ("翔", "ショウ", "Sho|Shou", "m"), ("渚", "ナギサ", "Nagisa", "f"),
    ("学", "マナブ", "Manabu", "m"), ("進", "ススム", "Susumu", "m"),
    ("実", "ミノル", "Minoru", "m"), ("さくら", "サクラ", "Sakura", "f"),
    ("みなみ", "ミナミ", "Minami", "f"), ("ひかり", "ヒカリ", "Hikari", "f"),
]
# outsiders: customers, former bosses, relatives, doctors -- never in `people`
OUT_SURNAMES = [
    ("杉浦", "スギウラ", "Sugiura"), ("岡村", "オカムラ", "Okamura"),
    ("堀内", "ホリウチ", "Horiuchi"), ("浅野", "アサノ", "Asano"),
    ("松尾", "マツオ", "Matsuo"), ("飯田", "イイダ", "Iida"),
    ("小松", "コマツ", "Komatsu"), ("桑原", "クワバラ", "Kuwabara"),
    ("宇野", "ウノ", "Uno"), ("菊地", "キクチ", "Kikuchi"),
    ("土屋", "ツチヤ", "Tsuchiya"), ("野村", "ノムラ", "Nomura"),
    ("大西", "オオニシ", "Onishi|Ohnishi"), ("川口", "カワグチ", "Kawaguchi"),
    ("荒木", "アラキ", "Araki"), ("永井", "ナガイ", "Nagai"),
    ("広瀬", "ヒロセ", "Hirose"), ("片山", "カタヤマ", "Katayama"),
    ("平田", "ヒラタ", "Hirata"), ("樋口", "ヒグチ", "Higuchi"),
    ("黒田", "クロダ", "Kuroda"), ("秋山", "アキヤマ", "Akiyama"),
    ("根本", "ネモト", "Nemoto"), ("熊谷", "クマガイ", "Kumagai"),
    ("岩崎", "イワサキ", "Iwasaki"), ("尾崎", "オザキ", "Ozaki"),
    ("篠原", "シノハラ", "Shinohara"), ("辰巳", "タツミ", "Tatsumi"),
    ("畑", "ハタ", "Hata"), ("沖", "オキ", "Oki"), ("江口", "エグチ", "Eguchi"),
    ("三宅", "ミヤケ", "Miyake"), ("奥田", "オクダ", "Okuda"),
    ("桐山", "キリヤマ", "Kiriyama"), ("寺田", "テラダ", "Terada"),
]
OUT_GIVEN = [
    ("和子", "カズコ", "Kazuko", "f"), ("健一", "ケンイチ", "Kenichi", "m"),
    ("幸子", "サチコ", "Sachiko", "f"), ("正雄", "マサオ", "Masao", "m"),
    ("陽子", "ヨウコ", "Yoko|Youko", "f"), ("博", "ヒロシ", "Hiroshi", "m"),
    ("美智子", "ミチコ", "Michiko", "f"), ("茂", "シゲル", "Shigeru", "m"),
    ("恵子", "ケイコ", "Keiko", "f"), ("湊", "ミナト", "Minato", "m"),
    ("結菜", "ユイナ", "Yuina", "f"), ("勇気", "ユウキ", "Yuki|Yuuki", "m"),
    ("節子", "セツコ", "Setsuko", "f"), ("昭", "アキラ", "Akira", "m"),
    ("ひなた", "ヒナタ", "Hinata", "f"), ("はると", "ハルト", "Haruto", "m"),
    ("紀子", "ノリコ", "Noriko", "f"), ("俊介", "シュンスケ", "Shunsuke", "m"),
    ("芳江", "ヨシエ", "Yoshie", "f"), ("清", "キヨシ", "Kiyoshi", "m"),
]
# Latin-script colleagues: (family, given, family kana, given kana, gender, family_first)
LATIN_ORG = [
    ("Clarke", "Emily", "クラーク", "エミリー", "f", False),
    ("Miller", "James", "ミラー", "ジェームズ", "m", False),
    ("O'Brien", "Sarah", "オブライエン", "サラ", "f", False),
    ("Kim", "Daniel", "キム", "ダニエル", "m", False),
    ("Sharma", "Priya", "シャルマ", "プリヤ", "f", False),
    ("Martin", "Lucas", "マーティン", "ルーカス", "m", False),
    ("Müller", "Anna", "ミュラー", "アンナ", "f", False),
    ("Dubois", "Chloé", "デュボワ", "クロエ", "f", False),
    ("Becker", "Tom", "ベッカー", "トム", "m", False),
    ("Grant", "Olivia", "グラント", "オリビア", "f", False),
    ("Nilsson", "Bo", "ニルソン", "ボー", "m", False),
    ("Patel", "Ravi", "パテル", "ラヴィ", "m", False),
    ("Hill", "Mark", "ヒル", "マーク", "m", False),
    ("Park", "Grace", "パク", "グレース", "f", False),
    ("Moore", "April", "ムーア", "エイプリル", "f", False),
    ("Li", "Wei", "リー", "ウェイ", "m", True),
    ("Wu", "Hao", "ウー", "ハオ", "m", True),
    ("Ng", "Wing Sze", "ン", "ウィンシー", "f", True),
    ("Wang", "Fang", "ワン", "ファン", "f", True),
    ("Xu", "Lei", "シュー", "レイ", "m", True),
    ("Nguyen", "Thi Lan", "グエン", "ティラン", "f", True),
]
# (family kanji, given kanji, family kana, given kana, family romaji, given romaji, gender)
CJK_ORG = [
    ("李", "偉", "リ", "ウェイ", "Li|Lee", "Wei", "m"),
    ("王", "芳", "ワン", "ファン", "Wang", "Fang", "f"),
    ("金", "敏俊", "キム", "ミンジュン", "Kim", "Minjun", "m"),
    ("朴", "智恩", "パク", "ジウン", "Park|Pak", "Jieun", "f"),
    ("陳", "美玲", "チン", "メイリン", "Chen|Chin", "Meiling", "f"),
    ("呉", "浩", "ウー", "ハオ", "Wu", "Hao", "m"),
]
OUT_LATIN = [
    ("Rachel", "Porter", "m"), ("Tom", "Whitaker", "m"), ("Helen", "Brooks", "f"),
    ("Marcus", "Feld", "m"), ("Claire", "Dawson", "f"), ("Peter", "Lindqvist", "m"),
    ("Sofia", "Romano", "f"), ("Kevin", "Osei", "m"), ("Laura", "Baines", "f"),
    ("Greg", "Holloway", "m"), ("Nina", "Petrova", "f"), ("Arjun", "Mehta", "m"),
]
OUT_LATIN = [(g, f, ("f" if g in ("Rachel", "Helen", "Claire", "Sofia", "Laura", "Nina") else "m"))
             for g, f, _ in OUT_LATIN]


class Person:
    def __init__(self, script, fam, giv, fam_kana, giv_kana, fam_r, giv_r, gender,
                 known, family_first=True, reading_known=True):
        self.script = script          # jp | cjk | latin
        self.fam, self.giv = fam, giv
        self.fam_kana, self.giv_kana = fam_kana, giv_kana
        self.fam_r = fam_r.split("|") if fam_r else []
        self.giv_r = giv_r.split("|") if giv_r else []
        self.gender = gender
        self.known = known
        self.family_first = family_first
        self.reading_known = reading_known

    def display(self):
        if self.script == "latin" and not self.family_first:
            return f"{self.giv} {self.fam}"
        return f"{self.fam} {self.giv}"

    def reading(self):
        if not self.reading_known:
            return None
        if self.script == "latin" and not self.family_first:
            return f"{self.giv_kana} {self.fam_kana}"
        return f"{self.fam_kana} {self.giv_kana}"

    def tokens(self):
        """Every spelling of this person's name parts (for decoy checks)."""
        t = {self.fam, self.giv, self.fam_kana, self.giv_kana,
             hira(self.fam_kana), hira(self.giv_kana)}
        t.update(self.fam_r)
        t.update(self.giv_r)
        return {x for x in t if x}


def make_jp(rng, gender=None, known=True, one_kanji_p=0.22):
    if known:
        s = rng.choice(ONE_KANJI_SURNAMES) if rng.random() < one_kanji_p else rng.choice(SURNAMES)
        pool = GIVEN
    else:
        s = rng.choice(OUT_SURNAMES) if rng.random() < 0.8 else rng.choice(SURNAMES)
        pool = OUT_GIVEN + GIVEN
    cands = [g for g in pool if gender is None or g[3] == gender]
    g = rng.choice(cands)
    return Person("jp", s[0], g[0], s[1], g[1], s[2], g[2], g[3], known)


def make_latin(rng, gender=None, known=True):
    if known:
        cands = [x for x in LATIN_ORG if gender is None or x[4] == gender]
        f, g, fk, gk, sex, ff = rng.choice(cands)
        return Person("latin", f, g, fk, gk, f, g, sex, known, ff, rng.random() < 0.7)
    cands = [x for x in OUT_LATIN if gender is None or x[2] == gender]
    g, f, sex = rng.choice(cands)
    return Person("latin", f, g, "", "", f, g, sex, False, False, False)


def make_cjk(rng, gender=None):
    cands = [x for x in CJK_ORG if gender is None or x[6] == gender]
    f, g, fk, gk, fr, gr, sex = rng.choice(cands)
    return Person("cjk", f, g, fk, gk, fr, gr, sex, True)


# --------------------------------------------------------------------------
# personal-data renderers.  Each returns (text, [(kind, start, end), ...]).
# --------------------------------------------------------------------------
def one(kind, prefix, value, suffix=""):
    return prefix + value + suffix, [(kind, len(prefix), len(prefix) + len(value))]


EMAIL_DOMAINS = ["example.com", "example.co.jp", "mail.example.jp", "example.ne.jp",
                 "docomo.example.ne.jp", "i.softbank.example.jp", "ezweb.example.ne.jp",
                 "example.org", "client-corp.example.co.jp", "univ.example.ac.jp",
                 "outlook.example.com", "icloud.example.com"]
UNICODE_DASHES = ["‐", "‑", "–", "—", "−", "ー", "～", "〜"]


def rand_romaji_person(rng):
    s = rng.choice(SURNAMES + ONE_KANJI_SURNAMES + OUT_SURNAMES)
    g = rng.choice(GIVEN + OUT_GIVEN)
    return rng.choice(s[2].split("|")).lower(), rng.choice(g[2].split("|")).lower()


def email_local(rng):
    f, g = rand_romaji_person(rng)
    yy = str(rng.randint(70, 99)) if rng.random() < 0.5 else f"{rng.randint(1,12):02d}{rng.randint(1,28):02d}"
    return wpick(rng, [
        (3, f"{g}.{f}"), (2, f"{g[0]}-{f}"), (2, f"{f}_{g[0]}{yy}"), (1, f"{g}{yy}"),
        (1, f"{f}.{g}"), (1, f"{g}_{f}"), (1, f"{f}{g[0]}"), (1, f"{g[:4]}.{f[:4]}.{yy}"),
    ])


def r_email(rng, lang):
    local, dom = email_local(rng), rng.choice(EMAIL_DOMAINS)
    if lang == "en":
        style = wpick(rng, [(5, "ascii"), (1.2, "upper"), (1.2, "plus"), (0.8, "at_dot"),
                            (0.6, "brackets"), (0.4, "fw"), (0.3, "mailto")])
    else:
        style = wpick(rng, [(4, "ascii"), (1.2, "upper"), (1.5, "fw"), (1.2, "fw_at"),
                            (0.5, "fw_dot"), (0.8, "plus"), (0.4, "at_dot"), (0.4, "brackets"),
                            (0.4, "star"), (0.3, "kana_at")])
    if style == "ascii":
        v = f"{local}@{dom}"
    elif style == "upper":
        v = f"{local}@{dom}".upper() if rng.random() < 0.6 else f"{local.capitalize()}@{dom.upper()}"
    elif style == "plus":
        v = f"{local}+{rng.choice(['career', 'taiwa', 'job', 'hr', 'private'])}@{dom}"
    elif style == "fw":
        v = fw(f"{local}@{dom}")
    elif style == "fw_at":
        v = f"{local}＠{dom}"
    elif style == "fw_dot":
        v = f"{local}＠{dom.replace('.', '．')}"
    elif style == "at_dot":
        d = dom.split(".")
        v = f"{local} at {' dot '.join(d)}" if rng.random() < 0.6 else f"{local} (at) {dom.replace('.', ' (dot) ')}"
    elif style == "brackets":
        v = f"{local}[at]{dom}" if rng.random() < 0.5 else f"{local}(at){dom}"
    elif style == "star":
        return f"{local}★{dom}（★を@に）", [("email", 0, len(local) + 1 + len(dom))]
    elif style == "kana_at":
        v = f"{local}あっと{dom}"
    elif style == "mailto":
        v = f"mailto:{local}@{dom}"
    return v, [("email", 0, len(v))]


def r_url(rng, lang):
    f, g = rand_romaji_person(rng)
    n = digits(rng, 5, True)
    style = wpick(rng, [
        (2, "https"), (1, "http"), (1.3, "upper"), (1.3, "www"), (0.8, "bare"),
        (0.9 if lang != "en" else 0.2, "fw"), (1.2, "wiki"), (1, "teams"), (1.2, "zoom"),
        (1, "linkedin"), (0.8, "note"), (0.6, "drive"), (0.5, "github"), (0.5, "intranet"),
    ])
    if style == "https":
        v = rng.choice([f"https://www.example.co.jp/staff/{f}-{g[0]}", f"https://{g}-{f}.example.com/",
                        f"https://example.jp/profile/{g}{f}", f"https://portfolio.example.com/{g}_{f}/works"])
    elif style == "http":
        v = rng.choice([f"http://example.com/~{g[0]}{f}/", f"http://{f}{n[:2]}.example.ne.jp/blog/",
                        f"http://www.example.org/members/{n}"])
    elif style == "upper":
        v = rng.choice([f"HTTPS://EXAMPLE.JP/PROFILE/{g.upper()}", f"HTTPS://WWW.EXAMPLE.COM/{f.upper()}-{g.upper()}",
                        f"Https://Example.co.jp/Users/{f.capitalize()}"])
    elif style == "www":
        v = rng.choice([f"www.example.co.jp/recruit/entry?id={n}", f"www.{f}-{g}.example.jp",
                        f"www.example.com/u/{g}.{f}"])
    elif style == "bare":
        v = rng.choice([f"{g}{f}.example.com/about", f"example.jp/{f}/cv.pdf", f"bit.ly/{g[:3]}{n[:3]}x"])
    elif style == "fw":
        v = fw(rng.choice([f"https://example.co.jp/{g}", f"https://{f}.example.jp/", f"www.example.com/{g}.{f}"]))
        v = v.replace("：", "：")
    elif style == "wiki":
        v = rng.choice([f"https://wiki.corp.example.co.jp/display/HR/{f.capitalize()}+{g.capitalize()}",
                        f"https://example.atlassian.net/wiki/spaces/~{g[0]}{f}/overview",
                        f"https://confluence.example.local/pages/viewpage.action?pageId={n}{n[:2]}",
                        f"http://portal.example.local/people/e{n}"])
    elif style == "teams":
        tok = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") for _ in range(22))
        v = rng.choice([f"https://teams.microsoft.com/l/meetup-join/19%3ameeting_{tok}%40thread.v2/0",
                        f"https://teams.microsoft.com/l/chat/0/0?users={g}.{f}@example.co.jp"])
    elif style == "zoom":
        mid = digits(rng, 11, True)
        pwd = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789") for _ in range(16))
        v = rng.choice([f"https://us02web.zoom.us/j/{mid}?pwd={pwd}", f"https://zoom.us/j/{mid}",
                        f"zoom.us/j/{mid}", f"https://example.zoom.us/my/{g}.{f}"])
    elif style == "linkedin":
        v = rng.choice([f"https://www.linkedin.com/in/{g}-{f}-{n[:3]}a{n[3:]}/", f"linkedin.com/in/{g[0]}{f}",
                        f"https://jp.linkedin.com/in/{f}{g}"])
    elif style == "note":
        v = rng.choice([f"https://note.com/{g}_career", f"https://{g}-{f}.hatenablog.com/", f"https://qiita.com/{g[0]}{f}"])
    elif style == "drive":
        tok = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") for _ in range(28))
        v = f"https://docs.google.com/document/d/1{tok}/edit"
    elif style == "github":
        v = rng.choice([f"https://github.com/{g[0]}{f}-dev", f"github.com/{f}{g[0]}"])
    else:
        v = rng.choice([f"http://intranet/hr/kyuka/{n}", f"https://sharepoint.example.co.jp/sites/hr/Shared%20Documents/{f}_{g}.xlsx"])
    return v, [("url", 0, len(v))]


MOBILE_FORMATS = None


def r_phone(rng, lang, which="any"):
    if which == "any":
        which = wpick(rng, [(6, "mobile"), (3, "land"), (0.8 if lang == "en" else 0.1, "foreign")])
    if which == "mobile":
        p, a, b = rng.choice(["090", "080", "070"]), digits(rng, 4, True), digits(rng, 4)
        dash = rng.choice(UNICODE_DASHES)
        fmts = [
            (4, f"{p}-{a}-{b}"), (2, f"{p}{a}{b}"), (0.7, f"{p}.{a}.{b}"), (1, f"{p} {a} {b}"),
            (1.2, f"+81 {p[1:]} {a} {b}"), (0.8, f"+81-{p[1:]}-{a}-{b}"), (0.4, f"+81(0){p[1:]}-{a}-{b}"),
            (0.3, f"({p}){a}-{b}"), (0.3, f"{p}-{a}{b}"),
        ]
        if lang != "en":
            fmts += [(1.2, fw(f"{p}-{a}-{b}")), (0.5, fwd(f"{p}{a}{b}")), (2.2, f"{p}{dash}{a}{dash}{b}"),
                     (0.8, fwd(f"{p}ー{a}ー{b}")), (0.3, fwd(f"{p} {a} {b}"))]
        else:
            fmts += [(0.4, f"{p}{dash}{a}{dash}{b}"), (0.4, f"+81 ({p[1:]}) {a}-{b}")]
        v = wpick(rng, fmts)
    elif which == "land":
        ac, n1 = rng.choice([("03", 4), ("06", 4), ("045", 3), ("052", 3), ("011", 3), ("092", 3),
                             ("022", 3), ("075", 3), ("0466", 2), ("048", 3), ("047", 3), ("082", 3), ("050", 4)])
        x, y = digits(rng, n1, True), digits(rng, 4)
        dash = rng.choice(UNICODE_DASHES)
        fmts = [(4, f"{ac}-{x}-{y}"), (1.5, f"({ac}){x}-{y}"), (1, f"{ac}({x}){y}"), (1, f"{ac}{x}{y}"),
                (1, f"+81-{ac[1:]}-{x}-{y}"), (0.7, f"+81 {ac[1:]} {x} {y}"), (0.5, f"{ac} {x} {y}")]
        if lang != "en":
            fmts += [(1, fw(f"{ac}-{x}-{y}")), (1, f"{ac}{dash}{x}{dash}{y}"), (0.4, fwd(f"（{ac}）{x}－{y}"))]
        v = wpick(rng, fmts)
    else:
        v = wpick(rng, [(2, f"(555) {digits(rng,3,True)}-{digits(rng,4)}"), (1, f"+1 (555) 01{digits(rng,2)}-{digits(rng,4)}"),
                        (1, f"555-01{digits(rng,2)}"[:0] + f"555-{digits(rng,3,True)}-{digits(rng,4)}"),
                        (1, f"+44 20 7946 0{digits(rng,3)}"), (0.7, f"+65 6{digits(rng,3)} {digits(rng,4)}")])
    return v, [("phone", 0, len(v))]


def r_ext(rng, lang):
    n = digits(rng, 4, True)
    if rng.random() < 0.2:
        n = fwd(n) if lang != "en" else n
    if lang == "en":
        pre = rng.choice(["ext. ", "extension ", "x", "ext ", "internal line "])
    else:
        pre = rng.choice(["内線", "内線", "内線：", "内線 ", "内線番号", "内線#"])
    return one("phone", pre, n)


AREAS = [
    # pref, city/ward, town, postcode, town_en, city_en, pref_en
    ("東京都", "千代田区", "丸の内", "100-0005", "Marunouchi", "Chiyoda-ku", "Tokyo"),
    ("東京都", "渋谷区", "渋谷", "150-0002", "Shibuya", "Shibuya-ku", "Tokyo"),
    ("大阪府", "大阪市北区", "梅田", "530-0001", "Umeda", "Kita-ku, Osaka", "Osaka"),
    ("神奈川県", "横浜市西区", "みなとみらい", "220-0012", "Minatomirai", "Nishi-ku, Yokohama", "Kanagawa"),
    ("神奈川県", "川崎市中原区", "小杉町", "211-0063", "Kosugimachi", "Nakahara-ku, Kawasaki", "Kanagawa"),
    ("愛知県", "名古屋市中村区", "名駅", "450-0002", "Meieki", "Nakamura-ku, Nagoya", "Aichi"),
    ("福岡県", "福岡市博多区", "博多駅前", "812-0011", "Hakata-ekimae", "Hakata-ku, Fukuoka", "Fukuoka"),
    ("北海道", "札幌市中央区", "大通西", "060-0042", "Odori-nishi", "Chuo-ku, Sapporo", "Hokkaido"),
    ("東京都", "世田谷区", "三軒茶屋", "154-0024", "Sangenjaya", "Setagaya-ku", "Tokyo"),
    ("埼玉県", "さいたま市大宮区", "桜木町", "330-0854", "Sakuragicho", "Omiya-ku, Saitama", "Saitama"),
    ("千葉県", "船橋市", "本町", "273-0005", "Honcho", "Funabashi", "Chiba"),
    ("東京都", "練馬区", "豊玉北", "176-0012", "Toyotamakita", "Nerima-ku", "Tokyo"),
    ("兵庫県", "神戸市中央区", "三宮町", "650-0021", "Sannomiyacho", "Chuo-ku, Kobe", "Hyogo"),
    ("東京都", "杉並区", "高円寺南", "166-0003", "Koenji-minami", "Suginami-ku", "Tokyo"),
    ("東京都", "江東区", "豊洲", "135-0061", "Toyosu", "Koto-ku", "Tokyo"),
    ("宮城県", "仙台市青葉区", "一番町", "980-0811", "Ichibancho", "Aoba-ku, Sendai", "Miyagi"),
    ("広島県", "広島市中区", "紙屋町", "730-0031", "Kamiyacho", "Naka-ku, Hiroshima", "Hiroshima"),
    ("東京都", "八王子市", "旭町", "192-0083", "Asahicho", "Hachioji", "Tokyo"),
    ("神奈川県", "藤沢市", "鵠沼海岸", "251-0037", "Kugenuma-kaigan", "Fujisawa", "Kanagawa"),
    ("埼玉県", "川口市", "栄町", "332-0017", "Sakaecho", "Kawaguchi", "Saitama"),
    ("東京都", "品川区", "大崎", "141-0032", "Osaki", "Shinagawa-ku", "Tokyo"),
    ("大阪府", "豊中市", "新千里東町", "560-0082", "Shinsenri-higashimachi", "Toyonaka", "Osaka"),
    ("沖縄県", "那覇市", "おもろまち", "900-0006", "Omoromachi", "Naha", "Okinawa"),
    ("京都府", "京都市左京区", "下鴨本町", "606-0802", "Shimogamo-honmachi", "Sakyo-ku, Kyoto", "Kyoto"),
    ("東京都", "新宿区", "西新宿", "160-0023", "Nishi-Shinjuku", "Shinjuku-ku", "Tokyo"),
    ("千葉県", "柏市", "柏の葉", "277-0871", "Kashiwanoha", "Kashiwa", "Chiba"),
    ("静岡県", "浜松市中央区", "板屋町", "430-0928", "Itayamachi", "Chuo-ku, Hamamatsu", "Shizuoka"),
]
BUILDINGS = ["みなとみらいセンタービル", "第二田中ビル", "グランフロント北館", "サンシャインハイツ", "MIDタワー",
             "丸の内トラストタワー", "駅前ビル", "KSビル", "オフィスプラザ"]
MANSIONS = ["コーポ桜", "グランドメゾン", "パークハイツ", "レジデンス", "サンライズマンション", "メゾン・ド・ソレイユ",
            "ハイツ若葉", "シティハウス", "ライオンズマンション", "アーバンコート"]
BUILDINGS_EN = ["Trust Tower", "Kasumigaseki Bldg.", "Central Plaza", "Sun Heights", "Park Court"]


def r_address(rng, lang, area=None):
    pref, city, town, pc, te, ce, pe = area or rng.choice(AREAS)
    c, b, g = rng.randint(1, 9), rng.randint(1, 28), rng.randint(1, 40)
    room = f"{rng.randint(1, 15)}0{rng.randint(1, 9)}"
    p = "" if city.startswith(pref[:2]) else pref
    if lang == "en":
        v = wpick(rng, [
            (3, f"{c}-{b}-{g} {te}, {ce}, {pe}"), (2, f"Apt {room}, {c}-{b}-{g} {te}, {ce}"),
            (1, f"{rng.choice(BUILDINGS_EN)} {rng.randint(2, 30)}F, {c}-{b}-{g} {te}, {ce}, {pe}"),
            (1, f"{te} {c}-{b}-{g}, {ce}"), (0.7, f"{pref}{city}{town}{c}-{b}-{g}"),
        ])
    else:
        wfp = rng.choice(["", p])
        v = wpick(rng, [
            (3, f"{p}{city}{town}{c}丁目{b}番{g}号"), (3, f"{wfp}{city}{town}{c}-{b}-{g}"),
            (2, f"{city}{town}{fwd(f'{c}－{b}－{g}')}"),
            (2, f"{city}{town}{c}-{b}-{g} {rng.choice(BUILDINGS)}{rng.randint(2, 30)}階"),
            (1.5, f"{wfp}{city}{town}{kanji_num(c)}丁目{b}番地"),
            (1.5, f"{city}{town}{c}丁目{b}-{g} {rng.choice(MANSIONS)}{room}号室"),
            (1, f"{town}{c}-{b}-{g}-{room}"),
            (1, f"{p}{city}{town}{kanji_num(c)}丁目{kanji_num(b)}番{kanji_num(g)}号"),
            (1, f"{city}{town}{fwd(f'{c}－{b}－{g}')}　{rng.choice(MANSIONS)}{fwd(room)}"),
            (0.8, f"{p}{city}{town}{c}ー{b}ー{g}"),
            (0.6, f"{city}{town}{c}の{b}の{g}"),
        ])
    return v, [("address", 0, len(v))]


def r_postcode(rng, lang, area=None):
    pc = (area or rng.choice(AREAS))[3]
    if rng.random() < 0.3:
        pc = f"{rng.randint(100, 999)}-{digits(rng, 4)}"
    if lang == "en":
        pre, val = wpick(rng, [(2, ("〒", pc)), (1, ("postcode ", pc)), (1, ("Postal code: ", pc)), (0.6, ("ZIP ", pc)),
                               (0.5, ("〒", pc.replace("-", "")))])
    else:
        pre, val = wpick(rng, [(3, ("〒", pc)), (1, ("〒 ", pc)), (1.5, ("〒", fw(pc))), (1.2, ("〒", pc.replace("-", ""))),
                               (1, ("郵便番号 ", pc)), (0.7, ("郵便番号：", pc)), (0.4, ("郵便番号", fw(pc))),
                               (0.4, ("〒", pc.replace("-", "ー"))), (0.3, ("〒", pc.replace("-", "‐"))),
                               (0.3, ("〒", fwd(pc.replace("-", ""))))])
    return one("postcode", pre, val)


def r_pc_addr(rng, lang):
    area = rng.choice(AREAS)
    if lang == "en":
        a, ai = r_address(rng, "en", area)
        sep = rng.choice([" ", " ", ", "])
        p, pi = rng.choice([(area[3], [("postcode", 0, len(area[3]))]),
                            ("〒" + area[3], [("postcode", 1, 1 + len(area[3]))])])
        items = ai + [(k, s + len(a) + len(sep), e + len(a) + len(sep)) for k, s, e in pi]
        return a + sep + p, items
    p, pi = r_postcode(rng, lang, area)
    sep = rng.choice([" ", "　", "", " "])
    a, ai = r_address(rng, lang, area)
    return p + sep + a, pi + [(k, s + len(p) + len(sep), e + len(p) + len(sep)) for k, s, e in ai]


MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December"]


def era(y, m=1, d=1):
    if (y, m, d) >= (1989, 1, 8):
        return "平成", "H", y - 1988
    return "昭和", "S", y - 1925


def r_birth(rng, lang, style="birth", years=(1962, 2001)):
    y, m, d = rng.randint(*years), rng.randint(1, 12), rng.randint(1, 28)
    if lang == "en":
        M = MONTHS_EN[m - 1]
        if style == "bday":
            return one("birthdate", "", wpick(rng, [(1, f"{d} {M}"), (1, f"{M} {d}"), (0.5, f"{M[:3]} {d}")]))
        if style == "dob":
            pre, v = wpick(rng, [(1, ("DOB ", f"{y}-{m:02d}-{d:02d}")), (1, ("date of birth: ", f"{d:02d}/{m:02d}/{y}")),
                                 (0.7, ("D.O.B. ", f"{m}/{d}/{y}")), (0.5, ("DoB: ", f"{d} {M[:3]} {y}"))])
            return one("birthdate", pre, v)
        pre, v = wpick(rng, [(2, ("born ", f"{d} {M} {y}")), (1.5, ("born on ", f"{M} {d}, {y}")),
                             (0.8, ("born in ", f"{y}")), (0.5, ("b. ", f"{y}.{m}.{d}")), (0.5, ("born ", f"{y}-{m:02d}-{d:02d}"))])
        return one("birthdate", pre, v)
    E, e, ey = era(y, m, d)
    eys = "元" if ey == 1 else str(ey)
    if style == "bday":
        return one("birthdate", "", wpick(rng, [(2, f"{m}月{d}日"), (1, fwd(f"{m}月{d}日")), (1, f"{m}/{d}")]))
    if style == "dob":
        pre, v = wpick(rng, [(2, ("生年月日：", f"{y}年{m}月{d}日")), (1, ("生年月日 ", f"{e}{ey}/{m}/{d}")),
                             (1, ("生年月日：", f"{E}{eys}年{m}月{d}日")), (1, ("生年月日 ", f"{y}/{m:02d}/{d:02d}")),
                             (0.7, ("生年月日:", fwd(f"{y}年{m}月{d}日"))), (0.5, ("DOB ", f"{y}-{m:02d}-{d:02d}"))])
        return one("birthdate", pre, v)
    v, suf = wpick(rng, [
        (3, (f"{y}年{m}月{d}日", "生まれ")), (1, (fwd(f"{y}年{m}月{d}日"), "生まれ")),
        (2, (f"{E}{eys}年{m}月{d}日", rng.choice(["生", "生まれ"]))), (1, (f"{E}{eys}年", rng.choice(["生", "生まれ"]))),
        (1, (f"{e}{ey}.{m}.{d}", "生")), (1, (f"{y}/{m:02d}/{d:02d}", "生")), (0.7, (f"{y}-{m:02d}-{d:02d}", "生まれ")),
        (0.5, (f"{y}.{m}.{d}", "生")), (0.5, (f"{E}{eys}（{y}）年{m}月{d}日", "生まれ")),
        (0.3, (f"{y}年（{E}{eys}年）{m}月{d}日", "生まれ")), (0.5, (f"{y}年{m}月", "生まれ")),
    ])
    return one("birthdate", "", v, suf)


def r_empno(rng, lang):
    num = wpick(rng, [
        (2, rng.choice("ABCDEKST") + digits(rng, 5)), (1, fwd("00" + digits(rng, 5))), (1.5, "E-" + digits(rng, 5, True)),
        (1, digits(rng, 2, True) + "-" + digits(rng, 3)), (2, digits(rng, 5, True)), (2, digits(rng, 4, True)),
        (1, "00" + digits(rng, 5)), (0.7, "JP" + digits(rng, 6)), (0.7, "S" + digits(rng, 4)), (0.5, "t" + digits(rng, 5)),
    ])
    if lang == "en":
        pre = rng.choice(["staff ID ", "employee no. ", "Employee ID: ", "emp. no. ", "badge #", "personnel no. ",
                          "staff number ", "employee number "])
        num = unicodedata.normalize("NFKC", num)
    else:
        pre = rng.choice(["社員番号 ", "社員番号：", "社員番号", "社員ID ", "社員ID:", "職員番号 ", "従業員番号 ", "社員No.",
                          "社員コード ", "社番", "社員番号は", "社員ＩＤ：", "従業員ID "])
    return one("employee_number", pre, num)


def r_idno(rng, lang, which=None):
    which = which or wpick(rng, [(3, "mynumber"), (1.5, "license"), (1.5, "passport"), (1.5, "account"), (1, "insurance"),
                                 (0.7, "pension"), (0.7, "residence"), (0.4, "card")])
    d12 = digits(rng, 12, True)
    if which == "mynumber":
        v = wpick(rng, [(2, f"{d12[:4]} {d12[4:8]} {d12[8:]}"), (1, d12), (1, f"{d12[:4]}-{d12[4:8]}-{d12[8:]}"),
                        (0.6 if lang != "en" else 0, fwd(f"{d12[:4]} {d12[4:8]} {d12[8:]}"))])
        pre = rng.choice(["My Number ", "My Number (individual number) ", "my-number card no. "]) if lang == "en" else \
            rng.choice(["マイナンバー ", "マイナンバー：", "個人番号 ", "マイナンバー（個人番号）", "マイナンバーカードの番号"])
    elif which == "license":
        v = d12
        pre = rng.choice(["driving licence no. ", "driver's license number "]) if lang == "en" else \
            rng.choice(["運転免許証番号 ", "免許証番号：", "運転免許証の番号", "免許証 第"])
        if pre == "免許証 第":
            return one("id_number", pre, v, "号")
    elif which == "passport":
        v = rng.choice(["TK", "TR", "MZ", "TZ", "MU"]) + digits(rng, 7)
        pre = rng.choice(["passport no. ", "passport number ", "Passport: "]) if lang == "en" else \
            rng.choice(["パスポート番号 ", "旅券番号：", "パスポートNo.", "パスポート番号"])
    elif which == "account":
        v = digits(rng, 7, True)
        pre = rng.choice(["bank account ", "account no. ", "ordinary account "]) if lang == "en" else \
            rng.choice(["口座番号 ", "普通預金 ", "口座：普通 ", "振込先口座番号", "口座番号："])
    elif which == "insurance":
        v = rng.choice([digits(rng, 8, True), f"{digits(rng, 4, True)}・{digits(rng, 2, True)}", f"{digits(rng,5,True)}-{digits(rng,3)}"])
        pre = rng.choice(["health insurance card no. ", "insurance ID "]) if lang == "en" else \
            rng.choice(["健康保険証番号 ", "被保険者番号 ", "保険証の記号番号 ", "保険証番号："])
    elif which == "pension":
        v = f"{digits(rng, 4, True)}-{digits(rng, 6)}"
        pre = "basic pension number " if lang == "en" else rng.choice(["基礎年金番号 ", "年金番号："])
    elif which == "residence":
        v = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + digits(rng, 8) + \
            "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2))
        pre = "residence card no. " if lang == "en" else rng.choice(["在留カード番号 ", "在留カード番号："])
    else:
        v = f"4{digits(rng, 3)} {digits(rng, 4)} {digits(rng, 4)} {digits(rng, 4)}"
        pre = "card number " if lang == "en" else rng.choice(["クレジットカード番号 ", "カード番号："])
    return one("id_number", pre, v)


def handle(rng):
    f, g = rand_romaji_person(rng)
    n = f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}" if rng.random() < 0.5 else str(rng.randint(80, 99))
    return wpick(rng, [(2, f"{g[:4]}_{n}"), (2, f"{g[0]}{f}"), (1, f"{f}.{g[0]}{n[-2:]}"), (1, f"{g}-{f[0]}"),
                       (1, f"{g}{f[:3]}"), (0.5, f"{g}_{f}_{n[-2:]}")])


PLATE_AREAS = ["品川", "練馬", "足立", "横浜", "湘南", "なにわ", "名古屋", "福岡", "札幌", "多摩", "大宮", "習志野", "世田谷"]
PLATE_KANA = "あいうえかきくけこさすせそたちつてとなにぬねのはひふほまみむめもやゆよらりるろれわ"


def r_other(rng, lang, which=None):
    which = which or wpick(rng, [(3, "line"), (3, "slack"), (1.5, "plate"), (1.5, "sns"), (0.6, "skype"),
                                 (0.6, "wechat"), (0.4, "discord"), (0.4, "chatwork")])
    h = handle(rng)
    if which == "line":
        if lang == "en":
            return one("other", rng.choice(["LINE ID: ", "LINE: ", "LINE id "]), h)
        return wpick(rng, [(2, one("other", "LINE ID: ", h)), (1, one("other", "LINEのID「", h, "」")),
                           (1, one("other", "LINE：", h)), (1, one("other", "ライン ", h)),
                           (0.5, one("other", "LINE ID：", fw(h)))])
    if which == "slack":
        return one("other", "", "@" + h.replace("_", ".") if rng.random() < 0.3 else "@" + h)
    if which == "plate":
        a, k = rng.choice(PLATE_AREAS), rng.choice(PLATE_KANA)
        cls, num = rng.choice(["300", "500", "330", "530", "580", "302"]), f"{rng.randint(1, 99)}-{rng.randint(10, 99)}"
        v = wpick(rng, [(2, f"{a} {cls} {k} {num}"), (1, f"{a}{cls}{k}{num}"), (1, f"{a} {cls} {k} {fwd(num)}")])
        if lang == "en":
            return one("other", rng.choice(["number plate ", "car plate ", "licence plate "]), v)
        pre, suf = rng.choice([("車のナンバー「", "」"), ("ナンバー（", "）"), ("車両番号 ", ""), ("車は", "")])
        return one("other", pre, v, suf)
    if which == "sns":
        if lang == "en":
            return wpick(rng, [(1, one("other", "Instagram ", "@" + h)), (1, one("other", "X handle ", "@" + h))])
        return wpick(rng, [(1, one("other", "X（旧Twitter）", "@" + h)), (1, one("other", "インスタ ", "@" + h)),
                           (1, one("other", "Instagram：", h))])
    if which == "skype":
        return one("other", "Skype: " if lang == "en" else "Skype ID ", "live:" + h)
    if which == "wechat":
        return one("other", "WeChat ID ", h)
    if which == "discord":
        return one("other", "Discord ", h + "#" + digits(rng, 4, True))
    return one("other", "Chatwork ID: " if lang == "en" else "チャットワークID ", h)


# --------------------------------------------------------------------------
# names
# --------------------------------------------------------------------------
def _r(rng, xs):
    return rng.choice(xs) if xs else ""


def name_form(rng, p, form, lang):
    """Returns (prefix, value, suffix) -- value is the name as typed."""
    m = p.gender == "m"
    F, G = p.fam, p.giv
    rF, rG = _r(rng, p.fam_r), _r(rng, p.giv_r)
    mr = "Mr" if m else "Ms"
    if lang == "en" and form in ("any", "boss", "peer", "hr", "en", "kana", "roma"):
        form = "en"
    if p.script == "jp":
        full_sp, full_ns, full_fw = f"{F} {G}", f"{F}{G}", f"{F}　{G}"
        hF, kF, hG, kG = hira(p.fam_kana), p.fam_kana, hira(p.giv_kana), p.giv_kana
        if form == "f":
            return wpick(rng, [(9, ("", F, "")), (1, ("", kF, ""))]) if lang != "en" else ("", rF, "")
        if form == "g":
            return ("", G, "") if lang != "en" else ("", rG, "")
        if form == "full":
            if lang == "en":
                return wpick(rng, [(3, ("", f"{rG} {rF}", "")), (1, ("", f"{rF} {rG}", "")), (1, ("", f"{rG} {rF.upper()}", "")),
                                   (0.5, ("", f"{rF.upper()} {rG}", ""))])
            return wpick(rng, [(3, ("", full_sp, "")), (2, ("", full_ns, "")), (1, ("", full_fw, ""))])
        if form == "kana":
            return wpick(rng, [(2, ("", hF, "さん")), (2, ("", kF, "さん")), (1, ("", hG, "ちゃん" if not m else "くん")),
                               (1, ("", kG, "さん"))])
        if form == "roma":
            return wpick(rng, [(2, ("", rF, "さん")), (2, ("", rF, "-san")), (1, ("", rF.upper(), "")),
                               (1, ("", f"{rG} {rF}", "")), (0.5, ("", rG, "さん")), (0.5, (mr + ". ", rF, "")),
                               (0.5, ("", f"{rF} {rG}", ""))])
        if form == "en":
            return wpick(rng, [(2, (mr + " ", rF, "")), (1, (mr + ". ", rF, "")), (2, ("", rF, "-san")),
                               (2, ("", f"{rG} {rF}", "")), (1.2, ("", rG, "")), (0.6, ("", rF.upper(), "")),
                               (0.5, ("", f"{rF} {rG}", "")), (0.5, ("", rF, "")), (0.4, ("", f"{rF.upper()} {rG}", "")),
                               (0.3, ("", f"{rG[0]}. {rF}", ""))])
        if form == "boss":
            return wpick(rng, [(3, ("", F, "部長")), (3, ("", F, "課長")), (1, ("", F, "マネージャー")), (1, ("", F, "さん")),
                               (0.4, ("", F, "GM")), (0.4, ("", F, "室長")), (0.4, ("", F, "次長")), (0.3, ("", F, "所長")),
                               (0.3, ("", F, "支店長")), (0.5, ("", F, "係長")), (0.6, ("", full_sp, "部長")),
                               (0.5, ("", F, "リーダー")), (0.3, ("", kF, "課長")), (0.3, ("", F, "本部長")),
                               (0.3, ("", rF, "さん")), (0.3, ("", F, "GL")), (0.3, ("", full_ns, "課長")),
                               (0.3, ("", F, "PM")), (0.3, ("", hF, "部長"))])
        if form == "peer":
            xs = [(3, ("", F, "さん")), (1, ("", F, "先輩")), (1, ("", G, "さん")), (0.3, ("", kF, "さん")),
                  (0.3, ("", hF, "さん")), (1, ("", full_sp, "さん")), (0.4, ("", F, "主任")), (0.2, ("", rG, "さん")),
                  (0.4, ("", full_ns, "さん")), (0.2, ("", F, "")), (0.2, ("", F, "氏"))]
            xs += [(1, ("", F, "くん")), (0.3, ("", hG, "くん")), (0.2, ("", F, "君"))] if m else \
                [(0.6, ("", G, "ちゃん")), (0.3, ("", hG, "ちゃん"))]
            return wpick(rng, xs)
        if form == "hr":
            return wpick(rng, [(2, ("", F, "さん")), (1, ("", F, "様")), (1, ("", F, "氏")), (1, ("", full_sp, "さん")),
                               (0.5, ("", full_ns, "様")), (0.5, ("", full_sp, "")), (0.3, ("", F, "マネージャー")),
                               (0.3, ("", F, "HRBP")), (0.3, ("", full_fw, "さん"))])
        # any
        return wpick(rng, [(4, ("", F, "さん")), (2, ("", full_sp, "さん")), (1, ("", full_ns, "さん")), (1, ("", F, "氏")),
                           (1, ("", G, "さん")), (0.5, ("", hF, "さん")), (0.5, ("", kF, "さん")), (1, ("", full_sp, "")),
                           (0.3, ("", full_fw, "さん")), (0.4, ("", rF, "-san")), (0.5, ("", F, "様")),
                           (0.4, ("", full_ns, ""))])
    if p.script == "cjk":
        kF = p.fam_kana
        full = f"{F} {G}"
        if form == "f":
            return ("", F, "") if lang != "en" else ("", rF, "")
        if form == "g":
            return ("", G, "") if lang != "en" else ("", rG, "")
        if form == "full":
            return wpick(rng, [(2, ("", full, "")), (1, ("", f"{F}{G}", ""))]) if lang != "en" else ("", f"{rF} {rG}", "")
        if form == "en":
            return wpick(rng, [(2, ("", rF, "")), (2, (mr + " ", rF, "")), (1, ("", f"{rG} {rF}", "")), (1, ("", f"{rF} {rG}", ""))])
        if form == "boss":
            return wpick(rng, [(2, ("", F, "部長")), (2, ("", F, "課長")), (1, ("", F, "マネージャー")), (1, ("", rF, "マネージャー")),
                               (0.5, ("", kF, "さん"))])
        return wpick(rng, [(3, ("", F, "さん")), (1, ("", full, "さん")), (1, ("", rF, "さん")), (0.5, ("", kF, "さん")),
                           (0.5, ("", F, "氏")), (0.3, ("", rG, "さん"))])
    # latin
    kF, kG = p.fam_kana, p.giv_kana
    full = f"{F} {G}" if p.family_first else f"{G} {F}"
    if form == "f":
        return wpick(rng, [(1, ("", F, "")), (1 if kF and lang != "en" else 0, ("", kF, ""))])
    if form == "g":
        return ("", G, "")
    if form == "full":
        return ("", full, "")
    if form == "en":
        if p.family_first:
            return wpick(rng, [(3, ("", F, "")), (1, (mr + " ", F, "")), (1, ("", full, "")), (0.4, ("", f"{G} {F}", ""))])
        return wpick(rng, [(2, ("", full, "")), (2, ("", G, "")), (1, (mr + " ", F, "")), (0.3, ("", F, "")),
                           (0.3, ("", f"{F.upper()}, {G}", ""))])
    xs = []
    if kF:
        xs += [(2, ("", kF, "さん")), (0.8, ("", f"{kG}・{kF}" if not p.family_first else f"{kF}・{kG}", "さん"))]
    if form == "boss":
        xs += [(2, ("", F, "マネージャー")), (1, ("", F, "さん")), (1, ("", G if not p.family_first else F, ""))]
        if kF:
            xs += [(1, ("", kF, "マネージャー")), (0.5, ("", kF, "部長"))]
        return wpick(rng, xs)
    xs += [(1, ("", G if not p.family_first else F, "さん")), (1, ("", full, "さん")), (1, ("", full, ""))]
    if kG and not p.family_first:
        xs += [(1, ("", kG, "さん"))]
    return wpick(rng, xs)


def new_person(rng, lang, known, gender=None):
    if not known:
        if lang == "en" and rng.random() < 0.45:
            return make_latin(rng, gender, known=False)
        return make_jp(rng, gender, known=False)
    x = rng.random()
    if lang == "en":
        if x < 0.55:
            return make_jp(rng, gender)
        if x < 0.8:
            return make_latin(rng, gender)
        if x < 0.9:
            return make_cjk(rng, gender)
        return make_latin(rng, gender)
    if x < 0.87:
        return make_jp(rng, gender)
    if x < 0.93:
        return make_cjk(rng, gender)
    return make_latin(rng, gender)


# --------------------------------------------------------------------------
# filling frames
# --------------------------------------------------------------------------
PH = re.compile(r"\{([A-Za-z_]+)(?:\.([A-Za-z_]+))?\}")
KNOWN_SLOTS, OUT_SLOTS = "ABC", "XYZ"
PII = {
    "email": r_email, "url": r_url,
    "phone": lambda r, l: r_phone(r, l, "any"), "mobile": lambda r, l: r_phone(r, l, "mobile"),
    "land": lambda r, l: r_phone(r, l, "land"), "foreignphone": lambda r, l: r_phone(r, l, "foreign"),
    "ext": r_ext, "postcode": r_postcode, "address": r_address, "pc_addr": r_pc_addr,
    "birth": r_birth, "cbirth": lambda r, l: r_birth(r, l, "birth", (2012, 2022)),
    "pbirth": lambda r, l: r_birth(r, l, "birth", (1938, 1962)), "dob": lambda r, l: r_birth(r, l, "dob"), "bday": lambda r, l: r_birth(r, l, "bday"),
    "empno": r_empno, "idno": r_idno,
    "mynumber": lambda r, l: r_idno(r, l, "mynumber"), "passport": lambda r, l: r_idno(r, l, "passport"),
    "license": lambda r, l: r_idno(r, l, "license"), "account": lambda r, l: r_idno(r, l, "account"),
    "insurance": lambda r, l: r_idno(r, l, "insurance"), "residence": lambda r, l: r_idno(r, l, "residence"),
    "other": r_other, "line": lambda r, l: r_other(r, l, "line"), "slack": lambda r, l: r_other(r, l, "slack"),
    "plate": lambda r, l: r_other(r, l, "plate"), "sns": lambda r, l: r_other(r, l, "sns"),
}


GENDERED = {"gf": ("g", "f"), "gm": ("g", "m"), "ff": ("f", "f"), "fm": ("f", "m"), "fullf": ("full", "f"),
            "fullm": ("full", "m"), "anyf": ("any", "f"), "anym": ("any", "m"), "enf": ("en", "f"), "enm": ("en", "m")}


def fill(rng, frame, lang):
    persons = {}
    # gendered forms ({X.gf}, {X.fullm}, {A.enf} ...) force the slot's gender
    hints = {}
    for m in PH.finditer(frame):
        sub = m.group(2) or ""
        if sub in GENDERED:
            hints[m.group(1)] = GENDERED[sub][1]
    for m in PH.finditer(frame):
        slot = m.group(1)
        if slot in KNOWN_SLOTS + OUT_SLOTS and slot not in persons:
            for _ in range(50):
                p = new_person(rng, lang, slot in KNOWN_SLOTS, hints.get(slot))
                if all(p.fam != q.fam and p.giv != q.giv for q in persons.values()):
                    break
            persons[slot] = p
    out, spans, pos = [], [], 0
    for m in PH.finditer(frame):
        out.append(frame[pos:m.start()])
        cur = sum(len(s) for s in out)
        slot, sub = m.group(1), m.group(2)
        if slot in persons:
            form = GENDERED[sub][0] if sub in GENDERED else (sub or "any")
            pre, val, suf = name_form(rng, persons[slot], form, lang)
            text, items = pre + val + suf, [("name", len(pre), len(pre) + len(val), slot)]
        else:
            text, items = PII[slot](rng, lang)
            items = [(k, s, e, None) for k, s, e in items]
        for k, s, e, who in items:
            spans.append((k, cur + s, cur + e, who))
        out.append(text)
        pos = m.end()
    out.append(frame[pos:])
    return "".join(out), spans, persons


MARKERS = ["[name]", "[email]", "[url]", "[phone]", "[number]", "[address]", "[postcode]", "[date]", "[id]",
           "[redacted]", "[birthdate]", "[other]", "[person]", "[handle]", "[氏名]", "[連絡先]", "***", "■■■", "〇〇"]


def masked_ok(text, spans):
    """After every planted span is replaced by a marker, no value may remain
    (the scoring rule: value absent from output after NFKC+casefold, no spaces)."""
    cover = sorted((s, e) for _, s, e, *_ in spans)
    merged = []
    for s, e in cover:
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    values = {text[s:e] for _, s, e, *_ in spans}
    for mk in MARKERS:
        t, last = [], 0
        for s, e in merged:
            t.append(text[last:s])
            t.append(mk)
            last = e
        t.append(text[last:])
        masked = norm("".join(t))
        for v in values:
            if not norm(v) or norm(v) in masked:
                return False, v
    return True, None


def decoy_clear(text, person):
    t = norm(text)
    for tok in person.tokens():
        n = norm(tok)
        if not n:
            continue
        if tok.isascii():
            if re.search(r"(?<![a-z])" + re.escape(n) + r"(?![a-z])", unicodedata.normalize("NFKC", text).casefold()):
                return False
        elif n in t:
            return False
    return True


def pick_decoys(rng, text, used, lang, k):
    out = []
    tries = 0
    while len(out) < k and tries < 200:
        tries += 1
        p = new_person(rng, lang, True)
        if any(p.fam == q.fam or p.giv == q.giv for q in used + out):
            continue
        if decoy_clear(text, p):
            out.append(p)
    return out


def people_json(ps):
    return [{"name": p.display(), "reading": p.reading()} for p in ps]


# --------------------------------------------------------------------------
# Japanese frames (hand-written; slots: {A}{B}{C} org people, {X}{Y} outsiders)
# --------------------------------------------------------------------------
JA_FRAMES = [
    # --- manager relationship / 1on1
    "{A.boss}との1on1が月1回から四半期に1回へ減り、評価の根拠が見えないと感じている。面談後のフォロー連絡は本人携帯（{mobile}）へ希望。",
    "{A.boss}とは業務外の会話がほとんどなく、相談しづらいと感じている。前任の{B.boss}の頃は問題がなかったとのこと。",
    "上司の{A.boss}が会議中に本人の資料を否定することが続き、発言を控えるようになった。ハラスメントに当たるかは本人も判断を迷っている。",
    "チームリーダーの{A.peer}と方針が合わず、異動も選択肢として考え始めた。詳細は本人が{email}から追って送るとのこと。",
    "{A.boss}からの深夜のチャット（Slackの{slack}宛）が負担になっている。業務時間外の連絡ルールを整えてほしいという要望。",
    "休日に{A.boss}から個人携帯{mobile}へ業務連絡が来ることがあり、線引きをしたい意向。",
    "1on1で{A.boss}に家庭の事情を話したところ、翌日チーム全体に共有されていた。信頼関係が揺らいでいる。",
    "新任の{A.boss}のマネジメントスタイルに戸惑いがある。前の上司（{X.f}さん、既に退職）とは比較しないよう心がけているとのこと。",
    "{A}（相談者）は{B.boss}から「もっと主体的に」と繰り返し言われるが、何を期待されているのかが分からないと話していた。",
    "【相談概要】評価への不満／上司（{A.boss}）との関係。【連絡先】{email}",
    "・異動希望あり（{A.boss}には未伝達）\n・育児との両立\n・連絡：{mobile}",
    "{A.boss}は「任せる」と言う一方で細かく口を出すため、裁量がないと感じている。{B.peer}も同じ悩みを抱えているらしい。",
    "上長の{A.boss}と部長の{B.f}さんで指示が食い違うことが多く、板挟みになっている。",
    "面談中に何度も{A.boss}の名前が出た。本人としては感情的な対立ではなく、仕事の進め方の違いだと整理している。",
    "{A.f}部長との関係は良好だが、その上の{B.f}本部長の方針転換に振り回されていると感じている。",
    # --- evaluation
    "評価がB止まりの理由を{A.boss}に尋ねても明確な回答がなく、モチベーションが下がっている。",
    "期末評価のフィードバック面談が5分で終わったとのこと。{A.boss}は多忙で、評価シートのコメント欄も空欄だった。",
    "同期の{A.peer}が先に昇格したことに複雑な思いがある様子。評価者が{B.boss}に替わった影響もあると本人は考えている。",
    "360度評価のコメントから誰が書いたか分かってしまうのではと不安。特に{A.peer}との関係悪化を恐れている。",
    "評価制度の説明資料が社内Wiki（{url}）にしかなく、現場に浸透していないという指摘があった。",
    "人事評価の結果に納得できず、{A.hr}に再面談を申し入れ済み。折り返しは{land}ではなく携帯{mobile}へ。",
    "{A.full}さんは昇格試験に2回続けて不合格。評価基準が曖昧だと感じており、フィードバックの具体化を求めている。",
    "目標設定の段階で{A.boss}と合意した内容が期中に変わり、評価が下がった。{empno}の評価記録を本人も確認したいとのこと。",
    "評価面談で{A.boss}から強い口調の指摘が続き、萎縮している様子。具体的な発言は本人の希望により記載しない。緊急時は{phone}へ。",
    "等級制度の改定で自分がどこに位置づくのか分からず不安。人事の{A.hr}（{ext}）に確認する予定。",
    "本人の自己評価はA、{A.boss}の一次評価はC。差の理由について説明を受けていない。",
    "評価に関する面談記録を本人が個人のクラウド（{url}）に保存しているとのことで、取り扱いについて助言した。",
    # --- workload
    "繁忙期の残業が月60時間近くに達し、体調面の不安を訴えていた。産業医面談は未実施。本人の希望で連絡先（{phone}）を記録。",
    "{A.peer}の退職後、業務を一人で引き継いでおり負荷が高い。{B.boss}に増員を要望したが回答がない。",
    "{A.peer}との業務分担に偏りがあり、残業が月40時間を超える月が続いている。{B.boss}にはまだ相談していない。",
    "プロジェクトの掛け持ちが3件になり、休日出勤が常態化。{A.boss}は「今期だけ」と言うが、昨年も同じだったとのこと。",
    "業務量について{A.boss}に相談したところ、{B.peer}に一部を移すことで合意。ただし{B.peer}の負担増を気にしている。",
    "深夜まで対応が続いた週があり、睡眠が取れていない。かかりつけの{X.f}クリニックで受診済み。",
    "持ち帰り残業が増えている。自宅（{address}）から夜間にVPN接続しているが、勤怠には記録していない。",
    "問い合わせ対応が本人に集中しており、{A.peer}や{B.peer}から直接チャットが来る。内線（{ext}）にも頻繁にかかってくる。",
    "残業規制の影響で業務が終わらず、早朝出社で調整している。{A.boss}はその実態を把握していない可能性がある。",
    # --- transfer
    "大阪支社への異動内示を受けたが、配偶者の勤務先との兼ね合いで単身赴任になりそう。現住所は{pc_addr}。",
    "転勤の打診があった。長男が{cbirth}で、来春に進学を控えているため、時期をずらせないか{A.hr}に相談したい。",
    "海外赴任の候補に挙がっている。本人が送ってきた書類に{passport}が記載されていたため、取扱注意とした。",
    "社内公募でDX推進室への異動を希望。選考窓口の{A.hr}（{email}）に応募書類を提出済み。",
    "現部署での成長が頭打ちと感じ、企画部門への異動を希望。{A.boss}は引き留めたい意向で、話が平行線。",
    "地元（{address}）へのUターンを検討中。リモート可の部署への異動が叶えば退職は考えないとのこと。",
    "異動先の{A.boss}とは面識がなく不安。以前同じ部署にいた{B.peer}から様子を聞いているとのこと。",
    "支店統合で{A.boss}のチームへ移る予定。通勤は{postcode}の自宅から片道1時間強になる。",
    "福岡勤務を希望しているが、{A.hr}からは「欠員が出れば」との回答。実家の住所（{address}）も人事に伝えてある。",
    # --- childcare / nursing care
    "第二子の育休から4月に復帰予定。時短勤務の継続について{A.boss}と合意が取れておらず不安。",
    "保育園のお迎えのため17時退社を希望しているが、{A.boss}からは「チームの状況を見て」と言われ保留中。本人の私用アドレス{email}宛に制度資料を送付予定。",
    "父親（{X.fullm}、{pbirth}）の認知症が進み、平日の通院付き添いが必要になった。",
    "義母（{X.gf}さん）の介護が始まったため、週2日の在宅勤務と時差出勤の併用を希望。介護休業の説明を改めて受けたいとのこと。",
    "保育園からの呼び出しが多く、{A.boss}の理解はあるものの周囲への負い目を感じている。",
    "実家（{address}）の母の介護で月2回帰省しており、有休がほとんど残っていない。",
    "介護と仕事の両立のため、ケアマネジャーの{X.f}さんと相談しながら勤務形態を検討中。施設の連絡先{land}も共有された。",
    "長女（{X.gf}ちゃん、{cbirth}）の小学校入学に合わせ、フレックスの活用を考えている。",
    "配偶者の{X.gm}さんが海外赴任となり、ワンオペ育児に。{A.boss}には事情を伝えたが、業務量は変わっていない。",
    "育休明けの評価が下がった件で、{A.hr}に確認したいと話していた。本人の{empno}を添えて問い合わせる予定。",
    "子どもの発達相談で平日に休みを取ることが増え、{A.peer}に迷惑をかけていると気にしている。",
    "介護休業中の連絡は自宅電話（{land}）にしてほしいとのこと。復職時期は未定。",
    "祖母の看取りのため長期の休みを取った。その間{A.peer}が業務をカバーしてくれたことに感謝している。",
    "男性育休の取得を{A.boss}に相談したところ、前例がないと難色を示された。第一子（{cbirth}）の育児のため、秋から取得したい。",
    # --- reskilling
    "リスキリング補助を使ってPythonを学習中。{A.boss}は理解があるが、業務時間内の学習は認められていない。",
    "中小企業診断士の資格取得を目指しており、学習記録を{url}で公開している。",
    "データ分析研修の受講を希望しているが、{A.boss}の承認が下りず半年止まっている。（{empno}）",
    "社外の勉強会で知り合った{X.f}氏から、副業の誘いを受けている。副業規程の確認をしたいとのこと。",
    "生成AI研修の社内講師を任されたが、準備時間が確保されていない。{A.boss}と{B.peer}にも相談済み。",
    "英語力を伸ばしたいが、オンライン英会話の費用補助がない。{A.hr}に制度新設を提案するつもりとのこと。",
    "夜間大学院（MBA）への進学を検討。合格後の勤務調整について{A.boss}に打診するタイミングを迷っている。",
    "研修申込フォームに私用アドレス（{email}）を入力したため、受講案内がそちらに届いている。",
    # --- job change
    "転職意向あり。職務経歴を{url}にまとめており、既に2社からスカウトが来ている。",
    "前職の上司だった{X.f}氏から誘いを受けており、年内の転職も視野に入れている。現職への不満は主に評価制度。",
    "転職エージェントの{X.f}さん（{phone}）から具体的な求人を紹介されている。年収差が大きく、気持ちが揺れている。",
    "転職サイトのプロフィール（{url}）に現職の社名を載せているとのことで、情報管理に注意するよう助言した。",
    "同期の{A.peer}が先月退職したことがきっかけで、自分も転職を考え始めた。",
    "取引先の{X.f}社長から引き抜きの話がある。本人はまだ決めかねているが、{A.boss}には知られたくないとのこと。",
    "転職活動中。面接の連絡先として{mobile}と{email}を使っており、会社貸与の端末は使っていないとのこと。",
    "退職を決意しているが、{A.boss}への伝え方に悩んでいる。引き継ぎ相手は{B.peer}になる見込み。",
    "起業の準備を進めている。共同創業予定の{X.full}氏とは大学の同期。",
    # --- promotion
    "課長昇進の打診を受けたが、{A.boss}の下で管理職になることに抵抗がある。",
    "昇格要件のTOEICスコアが足りず焦っている。{A.peer}に勉強方法を聞いているとのこと。",
    "管理職になると残業代がなくなり、手取りが下がることを懸念している。{A.hr}から試算をもらいたい。",
    "昇進候補として推薦されたと{A.boss}から聞いたが、その後の連絡がない。本人は期待と不安が半々。",
    "女性管理職の登用施策の対象者に選ばれたが、本人は「数合わせでは」と感じている。同じ立場の{A.peer}とも話しているとのこと。",
    "主任昇格後、メンバーの{A.peer}と{B.peer}の育成を任されたが、育成の時間が取れていない。",
    # --- remote work
    "フルリモートから週3出社への変更に強い不満。自宅（{pc_addr}）からオフィスまで1時間半かかる。",
    "在宅勤務手当の申請方法が分からず、{A.hr}に問い合わせたが回答が遅い。",
    "出社日の交通費負担が大きく、在宅中心の働き方を希望。自宅：{address}",
    "リモート中心になってから{A.boss}との接点が減り、評価に不利ではないかと感じている。",
    "在宅勤務の際、家族の声がTeams会議に入ることを{A.peer}に指摘され、気にしている。",
    "サテライトオフィスの利用を希望。自宅の最寄りは{postcode}周辺で、都心まで通うのが負担とのこと。",
    "在宅勤務の申請を{A.boss}が毎回差し戻す。理由の説明がないため、{B.hr}に相談予定。",
    # --- pay
    "同じ等級の{A.peer}と比べて賞与が低く、理由を知りたい。{empno}で人事ポータルにログインしたが明細の内訳が見られない。",
    "給与振込口座の変更手続きで{account}をメール本文に書いて送ってしまい、不安を感じている。",
    "年収は同業他社より低いと感じている。{A.boss}からは「来期の評価次第」と言われた。",
    "住宅手当の支給要件が変わり、手取りが月2万円ほど減った。{A.hr}への問い合わせ先は{email}。",
    "賞与査定の説明が{A.boss}から一切ないことに不満がある。本人は{birth}で、同年代との比較を気にしている。",
    "年末調整の書類に{mynumber}を記入して上司経由で提出したことを後悔している。回収の仕方を人事に聞きたいとのこと。",
    # --- harassment-adjacent
    "飲み会の場での{A.boss}の発言に不快感を覚えたとのこと。現時点で正式な申し立ては希望していない。",
    "{A}の言動について相談窓口に相談すべきか迷っている。本人は「まずは記録を残したい」との意向。",
    "チーム内で{A.peer}だけが会議から外されることがあり、本人はそれを見ていて辛いと話していた。",
    "{A.boss}から私生活について詮索されることが多く、プライベートのLINE（{line}）も聞かれたとのこと。",
    "取引先の{X.f}様からの私的な連絡（{phone}）が続き、困っている。上司の{A.boss}には報告済み。",
    "業務後に{A.peer}から個人的な誘いが続いている。本人は角を立てずに断りたいとのこと。",
    "以前の上司（{X.full}氏、現在は他社）から受けた叱責が今もフラッシュバックすることがある。",
    "社用車（{plate}）の私的利用を{A.peer}がしているのではという懸念を本人が持っている。事実確認はしていない。",
    # --- health / leave
    "メンタル不調で休職していた期間があり、復職後の業務調整について{A.boss}と話し合い中。主治医は{X.f}先生。",
    "復職プログラムの面談日程は{A.hr}から本人の携帯（{mobile}）に連絡が来る予定。",
    "体調面の理由で時短勤務を希望。診断書と保険証のコピー（{insurance}）を提出済みとのこと。",
    "通院のための中抜けを{A.boss}が認めてくれないと感じている。産業保健スタッフの{B.hr}にも相談を勧めた。",
    # --- career path
    "営業から企画職へのキャリアチェンジを希望。社内の先輩である{A.peer}にロールモデルとして話を聞いている。",
    "専門職コースと管理職コースのどちらに進むべきか迷っている。{A.boss}は管理職を勧めている。",
    "今後10年のキャリアを考えたいとのこと。入社時の配属面談で{A.hr}に言われたことが今も引っかかっている。",
    "社内でのキャリア相談窓口を知らなかった。本人の連絡先は{email}、希望の連絡時間帯は平日夜。",
    "エンジニアからPMへの転向を考えている。{A.peer}が先に転向しており、話を聞く予定。",
    "入社3年目で、このままでいいのか不安。{A.boss}には相談しにくく、今回初めて外部相談を利用した。",
    "本人（{birth}）は定年後の再雇用制度について情報がほしい。役職定年後の役割にも不安がある。",
    "役職定年まで残り2年。{A.boss}は年下で、今後の関わり方に悩んでいる。",
    "専門性を活かせる部署として研究開発部を希望。以前の指導役だった{A.peer}が在籍している。",
    # --- misc / memo style
    "※本人了承済みで記載：連絡先 {email} ／ {mobile}",
    "次回面談は{url}で実施予定。本人から{A.boss}には伝えないでほしいとの要望あり。",
    "面談はZoom（{url}）で実施。回線状況が悪く、後半は電話（{phone}）に切り替えた。",
    "本人より：「{A.boss}に話しても変わらないので、会社全体の傾向として伝えてほしい」",
    "相談者：{A.full}（{empno}）。テーマ：評価、異動。",
    "{A.full}／{dob}／{empno}\n上司との関係と今後のキャリアについて。",
    "面談後、本人からLINE（{line}）で補足のメッセージが届いた。内容は評価制度への要望。",
    "連絡先変更の申し出あり（旧：{email}）。新しいアドレスは後日。",
    "報告書に載せてよい範囲を本人と確認した。{A.boss}の実名は出さないでほしいとのこと。",
    "面談内容を{A.peer}にも共有したいと本人が希望。共有範囲は本人の了承を得てから。",
    "本人の希望により、{A.hr}への連絡は内線ではなく{email}経由で行う。",
    "人事の{A.hr}から紹介されて来談。紹介状に{empno}と{ext}の記載あり。",
    "キャリアシートの住所欄（{address}）が旧住所のままだったため、更新するよう伝えた。",
    "{A.kana}（本人は下の名前で呼ばれることが多い）は、チーム内での役割が曖昧なことに不満を持っている。",
    "チャット上では{A.roma}と表記されることが多い。海外拠点とのやり取りが多く、英語での評価面談に不安がある。",
    "「{A.g}さん」と呼ばれる社風に慣れず、上下関係の曖昧さにやりにくさを感じている。",
    "チーム内で「{A.kana}」と呼ばれている本人は、チームの雰囲気は良いが、業務の属人化が進んでいることを気にしている。",
    "社内SNSのプロフィール（{url}）に家族構成まで載せていたため、削除を勧めた。",
    "面談予約フォームの備考欄に{dob}と記載があった。本人は入力必須だと思っていたとのこと。",
    "車通勤の申請中（{plate}）。駐車場代の補助がないことへの不満が出た。",
    "Slackの{slack}でメンションされると深夜でも通知が来てしまうとのこと。通知設定の工夫を紹介した。",
    "インスタ（{sns}）で副業の発信をしている。会社に知られた場合の影響を心配している。",
    "副業として週末に講師業をしており、事業用の連絡先{phone}を持っている。副業規程との関係を確認したい。",
    "前職の同僚の{X.f}さんに誘われた勉強会で刺激を受け、転職も選択肢に入ってきた。",
    "{X.f}先生（大学時代の恩師）から研究職への誘いがあり、迷っている。",
    "妻の{X.gf}さんの転勤に合わせて自分も転居するかどうかで悩んでいる。会社に勤務地の相談をしたい。",
    "本人のパートナー（{X.g}さん）が病気療養中で、通院の付き添いのため有休を使い切った。",
    "長男の{X.gm}くんが不登校気味で、在宅勤務の日を増やしたいとのこと。{A.boss}には詳しく話していない。",
    "以前在籍していた会社の{X.full}社長と今も交流があり、戻ってこないかと声をかけられている。",
    "顧客の{X.f}様からのクレーム対応が長引き、精神的に消耗している。{A.boss}のフォローはない。",
    "外部パートナーの{X.full}さんとの協業がうまくいっておらず、板挟みになっている。",
    "昨年退職した先輩の{X}から、スタートアップへの参画を打診されている。",
    "同じマンションに住む{A.peer}と通勤が一緒で、業務外でも仕事の話になってしまうのが負担。",
    "本人は{A.full}。評価面談の記録を{url}にまとめて共有してくれた。",
    "{A.boss}（{ext}）に確認したところ、評価の再検討は難しいとの回答だったとのこと。",
    "【本人メモより転記】上司：{A.boss}、人事担当：{B.hr}、相談テーマ：異動と評価",
    "産休に入る前に{A.peer}への引き継ぎを終えたいが、後任が決まらない。産休中の連絡先は{email}。",
    "{A.peer}（育休中）の業務を本人が引き継いでおり、復帰後の役割分担に不安がある。",
    "本人は{birth}。入社時から同じ部署で、ジョブローテーションを一度も経験していない。",
    "誕生日（{bday}）にチームからサプライズがあったのは嬉しかったが、飲み会が多いのは負担とのこと。",
    "会社の福利厚生で、{bday}の誕生月休暇があるはずだが、{A.boss}から取りづらい雰囲気を感じる。",
    "有休取得の申請を{A.boss}に出したが、理由を細かく聞かれた。通院のためだが詳細は言いたくない。",
    "健康診断の再検査の案内が{email}に届かず、{A.hr}に確認中。",
    "人事システムの登録情報（住所：{address}、電話：{phone}）が古いままになっていると本人が気づいた。",
    "社員証（{empno}）の再発行手続きが遅れ、入館に支障が出ている。総務の{A.peer}に依頼済み。",
    "福利厚生サイトのアカウント（{email}）が前職時代のものと紛らわしく、案内を見落としていた。",
    "緊急連絡先として登録している母（{X.gf}さん、{phone}）の情報を更新したいとのこと。",
    "育児休業給付の手続きで{mynumber}の提出を求められ、会社に出すのが不安だと話していた。",
    "通勤手当の経路変更（{postcode}への転居）に伴い、申請をやり直す必要がある。",
    "在留資格の更新時期が近く、手続きで半休を取る予定（{residence}）。{A.boss}には伝えてある。",
    "マネージャーの{A}は外国籍で、日本語でのフィードバックが本人にうまく伝わっていない場面がある。",
    "{A}とのペア業務が多く、相性は良いと感じている。一方で{B.boss}の評価基準が不透明。",
    "チームに新しく入った{A}の教育係を任されたが、自分の業務と両立できていない。",
    "評価者会議で{A.boss}が本人を推してくれたと{B.peer}から聞いた。本人は直接聞きたいと思っている。",
    "オフサイトミーティングの会場（{address}）が遠く、子どもの送迎と重なるため参加できない。",
    "勤怠システムの打刻漏れが続き、{A.hr}から注意を受けた。本人は在宅時の打刻ルールが分かりにくいと感じている。",
    "職場の席替えで{A.peer}と隣になり、雑談が増えて集中できないという相談。深刻さはない。",
    "部署の飲み会の幹事を毎回任される。{A.boss}は若手の仕事だと言うが、本人は入社7年目。",
    "通勤中の事故で車（{plate}）を修理中。しばらく電車通勤になり、通勤時間が倍になった。",
    "職場見学に来た学生の対応を頼まれた際、自分の{line}を教えてしまったのを気にしている。",
    "社内報の取材で自宅の最寄り駅や家族構成まで話してしまい、掲載前に修正を依頼したいとのこと。{A.hr}宛。",
    "{A.f}課長の異動が決まり、後任が{B.f}さんになる見込み。本人は{B.f}さんとの相性を心配している。",
    "{A.g}さん（同じチームの先輩）の退職でノウハウが失われることを危惧している。",
    "{A.boss}の口癖「前にも言ったよね」がプレッシャーになっていると話していた。",
]


# --------------------------------------------------------------------------
# English frames
# --------------------------------------------------------------------------
EN_FRAMES = [
    "Wants a clearer promotion path; feels {A.en} gives little feedback in 1on1s. Prefers follow-up by personal email ({email}).",
    "Considering leaving within a year. A former boss, {X.en}, has offered a role at a competitor.",
    "Caring for her mother after a stroke and asking for two remote days a week. Home address on file: {address}.",
    "Raised workload concerns: averaging 55 hours of overtime since the reorg. {A.en} is aware but has not reallocated tasks.",
    "Employee ({empno}) asked whether the reskilling budget covers a data engineering bootcamp.",
    "Feels sidelined since {A.en} took over the team. Asked that we call {mobile} rather than the desk line.",
    "Discussed the evaluation gap between self-rating (A) and manager rating (C). {A.en} has not explained the difference.",
    "Thinking about an internal transfer to the Osaka office; partner works nearby. Current address {pc_addr}.",
    "Returned from parental leave in April. Reduced hours were agreed verbally with {A.en} but never confirmed in writing.",
    "Wants to move from sales into product management. Has been talking to {A.en}, who made the same switch last year.",
    "Shared a portfolio link ({url}) and said two recruiters have already reached out.",
    "Upset that a bonus was lower than {A.en}'s despite the same grade. Wants HR ({B.en}) to explain the calculation.",
    "Mentioned a tense meeting with {A.en} and asked that no specifics go into the report. Reachable at {phone} after 7pm.",
    "Father ({X.fullm}, {pbirth}) recently moved into care; weekday hospital visits are needed.",
    "Works remotely from {address} and finds the new three-days-in-office rule hard to sustain.",
    "Asked about the rules for side jobs; runs a weekend tutoring business with its own number, {phone}.",
    "Passport details ({passport}) were pasted into the booking form by mistake; flagged for deletion.",
    "The next session will be on Zoom: {url}. Client asked that {A.en} not be informed.",
    "Feels that {A.en} and {B.en} give conflicting instructions and ends up caught in the middle.",
    "Recently promoted to team lead; unsure how to give feedback to {A.en}, who is older and more experienced.",
    "HR contact for the transfer application is {A.en} ({email}).",
    "Concerned that remote work is hurting visibility with {A.en}; visits the office only twice a month.",
    "Doctor ({X.en}) has recommended reduced hours for three months. Client will bring the certificate to HR.",
    "Client's {dob} was typed into the intake form's notes field; asked the operator to remove it.",
    "Mentioned that {A.en} messages on Slack ({slack}) late at night and expects quick replies.",
    "Wants to retake the promotion exam. A senior colleague, {A.en}, offered to mentor on weekends.",
    "Spoke about a difficult client, {X.en}, whose calls to {mobile} continue even on weekends.",
    "Has been covering for {A.en} during sick leave and is close to burnout.",
    "Asked to update the emergency contact: her husband {X.enm}, {phone}.",
    "Says the evaluation criteria on the wiki ({url}) are out of date and no one owns them.",
    "Grateful for support from {A.en} during the project; wants this recognised in the evaluation.",
    "Has an offer from a startup founded by an old classmate ({X.full}). Decision due by the end of the month.",
    "Would like to discuss relocation to Fukuoka; parents live at {address} and need help.",
    "Struggling with the new grading system; {empno} does not show the new band in the HR portal.",
    "Asked whether the company can see the private address {email} used for the career test.",
    "Raised that {A.en} shared personal health information with the whole team without consent.",
    "Payroll asked for bank details by email; client sent {account} and is now worried.",
    "Client plans to start an MBA. Needs flexible hours from {A.en}, who has not yet replied.",
    "Feels micromanaged by {A.en}. {B.en} in the same team shares the concern.",
    "Prefers contact via LINE ({line}) because the work phone is shared.",
    "Recently moved to {pc_addr}; the commute is now 95 minutes each way.",
    "Interested in the overseas assignment programme; {A.en} nominated her last year but nothing followed.",
    "Worried that the employee survey is not anonymous because comments mentioned {A.en} by name.",
    "Birthday ({bday}) falls during the busiest week, and the team always schedules a dinner that runs late.",
    "Client ({A.full}, {empno}) wants a second session to discuss the promotion interview.",
    "Mentioned conflict with {A.en} over credit for the product launch. Not a formal complaint.",
    "Expecting a second child in autumn; wants to plan leave with {A.en} early.",
    "The client's partner, {X.g}, is a doctor with night shifts, so childcare falls mostly on the client.",
    "Moved to Japan three years ago; residence card ({residence}) renewal requires a day off next month.",
    "Asked for the session notes to be sent to {email} rather than the company account.",
    "Would like to switch to the specialist track. {A.en} recommends staying on the management track.",
    "Mentioned a former manager at another firm, {X.en}, as a role model for coaching style.",
    "Commutes by car ({plate}) and the new parking policy adds two hours of walking a week.",
    "My Number ({mynumber}) was requested by the team assistant for a form; client unsure if that is allowed.",
    "Client ({birth}) asked about the re-employment scheme after 60.",
    "Internal phone is {ext} but prefers we use {mobile}.",
    "Says {A.en} is supportive, but the department head, {B.en}, blocks every transfer request.",
    "Referred by {A.en} from HR. Contact: {email} / {phone}.",
    "Is being mentored by {A.en} in the Singapore office via Teams ({url}).",
]

# --------------------------------------------------------------------------
# mixed Japanese / English frames
# --------------------------------------------------------------------------
MIXED_FRAMES = [
    "本人曰く \"I don't see a future here under {A.en}\"。転職活動はまだ始めていない。連絡先: {email}",
    "Career goal: move into product management. 現上司の{A.boss}には未共有。LinkedIn: {url}",
    "海外拠点のマネージャー{A.en}とのweekly 1on1が英語で、feedbackが理解しきれていない。本人の携帯は{mobile}。",
    "Next step: 人事の{A.hr}にtransfer requestを出す。Follow-up is via {email}.",
    "評価面談で{A.en}から \"needs improvement\" と言われたが、具体例はなかった。",
    "Workload high（月50h残業）。{A.boss}にescalation済み、回答待ち。Contact: {phone}",
    "本人のキャリアプラン：2年以内にPM、5年以内にmanager。mentorは{A.peer}。",
    "Team lead {A.en} は協力的。ただし部長の{B.boss}がreorgを進めており、先行きが不透明。",
    "【Summary】Childcare + 時短勤務の継続。Home: {pc_addr}",
    "Zoom link for next session: {url}（本人が{A.boss}に見られたくないため私用端末で参加）",
    "Global HRBP の{A.en}に相談済み。Employee ID {empno} で申請中。",
    "本人は {birth} で、次のキャリアステップについて long-term view を持ちたいとのこと。",
    "Slack {slack} で{A.boss}からDMが来るのがstress。Notificationの設定を一緒に見直した。",
    "Former boss の {X.en} から offer あり。年収 up だが勤務地が遠い。",
    "Remote work policy が変わり週3出社に。Commute from {address} is 80 min.",
    "本人より「{A.en} is great but the process is broken」。制度面の課題として報告してよいとのこと。",
    "母親の介護（care manager: {X.en}）のため、flexible hours を希望。",
    "Reskilling: AWS認定を取得予定。{A.peer}とstudy groupを作っている。",
    "{A.en}（Tokyo office）とのcommunication gap。Meeting notes are on {url}.",
    "Emergency contact 更新: {X.g}さん（spouse）, {mobile}",
    "Promotion exam を控え、{A.boss}からのsupportがほしい。Private mail: {email}",
    "Mentor の {A.en} から英語のレジュメ添削を受けている。転職意向は low。",
    "Harassment-adjacent: {A.boss}の発言に違和感。Formal complaint は希望せず、記録のみ。",
    "Onboarding buddy の{A.peer}が退職し、相談相手がいない。DM: {other}",
    "Transfer to Singapore を希望。{passport} は取得済み。",
    "本人（{empno}）はdata analyticsへのcareer changeを検討中。{A.en}が推薦者。",
    "Pay gap concern: 同期の{A.peer}と比べて base salary が低い。HR contact: {A.hr} ({ext})",
    "育休復帰後 role が変わった。{A.en} から説明がなかったことに不満。",
    "Side job（週末のtranslation）をしている。連絡用 LINE: {line}",
    "{A.boss}の後任に{B.en}が来る予定で、本人は期待している。Contact after 18:00 at {phone}.",
]


# more frames where contact details, numbers and handles turn up: pasted
# signatures, intake forms, address changes, documents sent to the consultant
JA_FRAMES += [
    "本人のメール署名がそのまま残っていたため転記：{A.full}／{pc_addr}／{mobile}",
    "通勤手当の再申請が必要。新住所は{pc_addr}、最寄り駅までバスで15分。",
    "転居届を出したが、給与明細の送付先が旧住所（{postcode}）のまま。総務の{A.peer}に確認中。",
    "実家の{postcode}の住所に介護認定の書類が届くため、月に一度は帰省して手続きをしている。",
    "社宅（{pc_addr}）の退去期限が迫っており、住宅手当の条件を確認したい。",
    "面談資料の郵送先：{pc_addr}（平日日中は不在）",
    "単身赴任先の住所（{address}）と自宅（{postcode}）の二重生活で、家計の負担が大きい。",
    "転居予定地は{postcode}エリア。通勤時間が短くなれば時短勤務をやめてもよいと考えている。",
    "年末調整の書類に記載の住所（{pc_addr}）が誤っていると人事から連絡があった。",
    "住民票の住所（{address}）と実際の居住地が異なり、手当の支給で問題になっている。",
    "マイナンバーの提出を求められ、{mynumber}を社内チャットに書いてしまった。削除方法を知りたいとのこと。",
    "扶養手続きで配偶者の{mynumber}を紙で提出。提出先の{A.hr}の管理方法に不安を持っている。",
    "海外出張の手配で{passport}を総務にメールで送った。暗号化されていなかったことを気にしている。",
    "社用車を運転する業務に就くため、{license}を総務に登録済み。運転業務自体に負担を感じている。",
    "給与の振込先を{account}に変更したが、反映されず前の口座に振り込まれた。",
    "傷病手当金の申請で{insurance}を記入した書類を上司経由で出すよう言われ、抵抗がある。",
    "在留カード更新の書類（{residence}）のコピーを{A.boss}に渡すよう言われた。必要性が分からないとのこと。",
    "年金の手続きで{idno}が必要と言われ、手元にないため困っている。",
    "{empno}の評価記録が別人のものと入れ替わっていた可能性がある。人事の{A.hr}に照会中。",
    "社内異動の応募画面で{empno}を入力しても本人確認が通らないとのこと。",
    "勤怠システム上の所属が旧部署のままになっている（{empno}）。{A.boss}の承認ルートもずれている。",
    "研修受講履歴が{empno}に紐づいておらず、昇格要件の研修が未受講扱いになっている。",
    "相談予約時の入力内容：{empno}、{email}、希望日時は平日夕方。",
    "【受付票】{A.full}（{dob}）、{empno}、連絡先{mobile}",
    "本人が共有してくれたポートフォリオ（{url}）には、前職の案件名も載っていた。",
    "面談のオンラインURL：{url}（次回も同じリンクを使用）",
    "本人のブログ（{url}）で社内の事情に触れている記事があり、リスクについて話し合った。",
    "社内の1on1記録テンプレート（{url}）の使い方がチームで統一されていないという指摘。",
    "副業の案件紹介サイト（{url}）に登録しており、会社の承認が必要か確認したい。",
    "転職エージェントから届いた求人票のリンク（{url}）を参考として見せてくれた。",
    "次回はTeamsで実施：{url}",
    "本人のLINE（{line}）に会社の先輩から業務連絡が来ることに困っている。",
    "社内SNSとは別に、同期だけのグループ（LINE: {line}）で情報交換している。",
    "{A.boss}がSlack（{slack}）でステータスを常に監視しているように感じ、息苦しい。",
    "本人のX（{sns}）に職場の愚痴を書いたことがあり、特定されないか心配している。",
    "通勤で使う車（{plate}）の駐車場代が自己負担で、手当の対象にならないか知りたい。",
    "副業用のアカウント（{other}）でお客さんとやり取りしている。",
    "リモートワーク中の連絡は{other}経由で、と本人から指定があった。",
    "本人は{birth}。同期入社の中で最年長のため、周囲との距離感に悩んでいる。",
    "子ども二人（{cbirth}と{cbirth}）の学校行事が重なる時期は、有休を使い切ってしまう。",
    "面談シートの記載：{dob}、入社年度2015年、現在の等級G4。",
    "本人（{birth}）は来年度で役職定年を迎える。",
    "誕生日が{bday}で、毎年その日に評価面談が入るのが嫌だと笑っていた。",
    "緊急連絡先：{X.fullf}（母）{phone}",
    "緊急時の連絡は配偶者の{X.full}さん（{mobile}）へ、とのこと。",
    "固定電話（{land}）は留守電が多いため、携帯（{mobile}）へ。",
    "部署の代表番号ではなく、直通（{land}）か{ext}にかけてほしいとのこと。",
    "夜間の連絡は{phone}まで。SMSでも可。",
    "本人の連絡先が二つあり（{email}／{email}）、どちらを使うべきか確認した。後者を優先。",
    "メールは{email}へ。社用アドレスは見られている気がして使いたくないとのこと。",
]
EN_FRAMES += [
    "Email signature pasted into the notes by mistake: {A.full}, {pc_addr}, {mobile}.",
    "Needs to re-apply for the commuting allowance after moving to {pc_addr}.",
    "Company housing at {address} must be vacated by March; asked about the housing allowance.",
    "Payslips are still being posted to the old address ({postcode}).",
    "Sent {passport} to the travel desk by plain email and is worried about it.",
    "Her {mynumber} was typed into the team chat during the year-end adjustment.",
    "Salary was paid to the old {account} after the change request.",
    "{empno}: the HR portal shows the wrong department after the transfer.",
    "Training records are not linked to {empno}, so the promotion requirement shows as incomplete.",
    "Intake form: {empno}, {email}, prefers weekday evenings.",
    "Portfolio ({url}) lists project names from the previous employer; discussed the risk.",
    "Next session link: {url}",
    "Colleagues message her on LINE ({line}) about work at night.",
    "Worried a post on X ({sns}) about the team could identify her.",
    "Asked whether parking for the car ({plate}) can be covered by the commuting allowance.",
    "Client ({birth}) is the oldest in the graduate intake and feels out of place.",
    "Emergency contact: {X.fullf} (mother), {phone}.",
    "Landline {land} is often unattended; use {mobile} instead.",
    "Two personal addresses were given ({email} and {email}); the second is preferred.",
    "Manager watches her Slack status ({slack}) all day, which feels like surveillance.",
]
MIXED_FRAMES += [
    "Commute allowance再申請。New address: {pc_addr}",
    "Intake form: {empno} / {email} / 平日夜希望",
    "Signatureが貼り付けられていた：{A.full}, {mobile}, {url}",
    "Passport（{passport}）をtravel deskにメールで送ってしまった件、要フォロー。",
    "Emergency contact: 母 {X.fullf}, {phone}",
    "LINE（{line}）でteamの先輩から業務連絡が来る。Boundaryを引きたい。",
    "{dob} ／ {empno}。Career planは未整理。",
    "Payslipが旧住所（{postcode}）に届く問題、HRに確認中。",
]


# outsiders: customers, relatives, former bosses, doctors, agents, friends
JA_FRAMES += [
    "取引先の{X.f}部長から頻繁に私的な食事の誘いがあり、断り方に悩んでいる。社内の誰にも相談していない。",
    "前職で世話になった{X.full}さんが立ち上げた会社から声がかかっている。年収は下がるが裁量は増える。",
    "母（{X.gf}）の入院が長引き、病院への付き添いで遅刻が増えている。",
    "義父の{X.gm}さんが要介護2の認定を受けた。介護の分担を夫婦で話し合っている最中。",
    "主治医の{X.f}先生からは、当面は残業を控えるよう言われている。",
    "息子の{X.gm}くんの受験が終わるまでは、転勤を伴う異動は避けたいとのこと。",
    "大学時代の恩師（{X.f}教授）から社会人博士課程を勧められ、両立できるか相談したい。",
    "顧客の{X.full}様からのクレームが長期化し、担当を外してほしいと希望している。",
    "転職エージェントの担当（{X.f}さん）からは、今の年収なら2割は上がると言われている。",
    "夫の{X.gm}が海外赴任の内示を受け、帯同するかどうかで迷っている。",
    "元上司の{X.f}氏（現在は競合他社）とは今も定期的に食事をしている。引き抜きの話も出ている。",
    "保育園の{X.f}先生から、お迎え時間をもう少し早められないかと言われている。",
    "義母の{X.g}さんが同居を始め、在宅勤務中の生活音が気になるとのこと。",
    "学生時代の友人{X.full}と副業でアプリ開発をしている。会社への申請は未提出。",
    "出向先の{X.f}社長の方針が本社と大きく異なり、戸惑っている。",
    "姉の{X.gf}さんが近くに住んでおり、子どもの急な発熱時は頼れるとのこと。",
    "ケアマネジャーの{X}から、デイサービスの日数を増やす提案があった。",
    "派遣会社の営業担当の{X.f}さんとの面談で、契約更新の見込みを聞いた。",
    "キャリアコーチの{X.full}氏のセミナーに自費で参加しており、社内でも同様の機会がほしいとのこと。",
    "昔の取引先の{X.kana}（今は独立）から業務委託の話が来ている。",
    "父の{X.fullm}が経営する家業を継ぐかどうか、ここ数年悩み続けている。",
    "パートナーの{X.g}さんとは別居婚で、週末だけ会える状況。転勤の話で関係に影響が出ないか不安。",
    "元同僚の{X.f}さんが先月亡くなり、気持ちの整理がついていない。業務への影響も出ている。",
    "弁護士の{X.f}先生に相談したことがあると話していた（内容は私的な事柄とのこと）。",
    "前の会社の上司（{X.f}）に言われた「君は管理職向きではない」という言葉を今も気にしている。",
    "子どもの担任の{X.f}先生との面談が平日昼間にしか設定されず、毎回半休を取っている。",
    "お客様の{X.f}様から名指しで感謝状が届いた。社内では特に評価されていない。",
    "叔父（{X.fullm}）の会社を手伝ってほしいと頼まれており、副業として可能か知りたい。",
    "知人の紹介で{X.roma}（外資系の人事）に会い、外資への転職にも関心を持ち始めた。",
    "{X.f}さん（保育園のママ友）から聞いた他社の両立支援制度と比べ、自社の制度に不満がある。",
]
EN_FRAMES += [
    "A customer, {X.en}, keeps asking her out for dinner; she has not told anyone at work.",
    "Her mother, {X.gf}, has been in hospital for a month and needs daily visits.",
    "Her doctor ({X.en}) advised no overtime until the autumn.",
    "An old classmate, {X.full}, wants her as co-founder of a small consultancy.",
    "The recruiter ({X.en}) says the market would pay about 20% more.",
    "Her husband {X.gm} has been posted to Singapore; she is considering following him.",
    "A professor from her university, {X.en}, suggested a part-time PhD.",
    "Former boss {X.full} still calls her for advice and has hinted at an offer.",
    "Her sister {X.gf} lives nearby and helps with childcare when the kids are sick.",
    "The care manager, {X.en}, proposed more day-service days for her father.",
]


# --------------------------------------------------------------------------
# hand-written one-off summaries: (lang, text, [(kind, value)], [(name, reading)])
# people listed here are the org people mentioned; decoys are added later.
# --------------------------------------------------------------------------
ONE_OFFS = [
    ("ja", "チームでは渡辺さんのことを皆「ナベさん」と呼んでいて、本人もナベさんには何でも相談できるとのこと。異動で離れることが不安。",
     [("name", "渡辺"), ("name", "ナベ")], [("渡辺 健太", "ワタナベ ケンタ")]),
    ("ja", "上司のLiさんからは「もっと数字で語って」と言われており、本人は戸惑っている。評価面談は英語と日本語が混ざる。",
     [("name", "Li")], [("Li Wei", "リー ウェイ")]),
    ("ja", "マネージャーのNgさん（シンガポール拠点）との時差調整が負担。週2回、朝7時からの会議がある。",
     [("name", "Ng")], [("Ng Wing Sze", "ン ウィンシー")]),
    ("ja", "Wuさんの後任として着任したが、引き継ぎ資料がほとんどなかった。前任者に質問しづらい雰囲気もある。",
     [("name", "Wu")], [("Wu Hao", "ウー ハオ")]),
    ("en", "Her mentor Bo says she is ready for the next step, yet the team head wants her to wait a year.",
     [("name", "Bo")], [("Bo Nilsson", "ボー ニルソン")]),
    ("en", "Manager Li told the team to cut overtime; she wants to stay put for now and see how it goes.",
     [("name", "Li")], [("Li Wei", "リー ウェイ")]),
    ("en", "Wu, her team head, has been supportive about the move to part-time hours after the summer.",
     [("name", "Wu")], [("Wu Hao", "ウー ハオ")]),
    ("ja", "結婚で姓が変わったが、社内システム上は旧姓の杉浦のまま表示されている。名刺の変更を総務の森さんに依頼中。",
     [("name", "杉浦"), ("name", "森")], [("森 美穂", "モリ ミホ")]),
    ("ja", "連絡先：ｓａｔｏ．ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ／０８０－１１２２－３３４４（平日夜のみ）",
     [("email", "ｓａｔｏ．ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｃｏ．ｊｐ"), ("phone", "０８０－１１２２－３３４４")], []),
    ("ja", "本人の携帯は090〜3141〜5926。会社には伝えていない番号なので、報告書には載せないでほしいとのこと。",
     [("phone", "090〜3141〜5926")], []),
    ("ja", "社内ポータルのプロフィール（https://portal.example.co.jp/people/佐藤花子）に家族写真を載せており、外すよう勧めた。",
     [("url", "https://portal.example.co.jp/people/佐藤花子"), ("name", "佐藤花子")], [("佐藤 花子", "サトウ ハナコ")]),
    ("ja", "実家は長野県松本市大手二丁目五番十号で、父の介護のため月に一度は帰省している。",
     [("address", "長野県松本市大手二丁目五番十号")], []),
    ("ja", "東さん（経理）とは同期入社で、今回の異動の件も東さんに先に話したとのこと。",
     [("name", "東")], [("東 直樹", "アズマ ナオキ")]),
    ("ja", "南さんから「来期はリーダーを任せたい」と言われたが、育児との両立を理由に迷っている。",
     [("name", "南")], [("南 由美", "ミナミ ユミ")]),
    ("ja", "元上司の岡村さん（現在は別会社の役員）から声がかかっている。条件面はまだ聞いていない。",
     [("name", "岡村")], []),
    ("ja", "はなちゃん（本人の娘、3歳）の保育園が決まらず、4月の復職が難しい。",
     [("name", "はな")], []),
    ("ja", "SATOさん（海外拠点での表記）とのやり取りでメールが英語になり、負担が大きい。",
     [("name", "SATO")], [("佐藤 翔太", "サトウ ショウタ")]),
    ("mixed", "Sato-sanとTanaka-san（ともにGlobal HR）には事前共有済み。本人はそれ以上広げたくない。",
     [("name", "Sato"), ("name", "Tanaka")], [("佐藤 美咲", "サトウ ミサキ"), ("田中 誠", "タナカ マコト")]),
    ("ja", "私用アドレスは hanako.s あっと example.ne.jp とのこと（本人が口頭で伝えたまま記載）。",
     [("email", "hanako.s あっと example.ne.jp")], []),
    ("en", "Prefers email to k.yamada (at) example (dot) co (dot) jp rather than the work address.",
     [("email", "k.yamada (at) example (dot) co (dot) jp")], []),
    ("ja", "TEL：０３（３２１２）４５６７（自宅）。日中は不在が多い。",
     [("phone", "０３（３２１２）４５６７")], []),
    ("ja", "+81-90-7788-1290（海外ローミング中）に連絡してほしいとのこと。帰国は来月の予定。",
     [("phone", "+81-90-7788-1290")], []),
    ("ja", "内線は4417。席にいないことが多いので、チャットの方が確実とのこと。",
     [("phone", "4417")], []),
    ("en", "Desk phone ext. 2093; mobile +81 80 4412 7781. Prefers texts to calls.",
     [("phone", "2093"), ("phone", "+81 80 4412 7781")], []),
    ("ja", "〒1500002 渋谷区渋谷二丁目21番1号の新居に引っ越したばかりで、通勤経路の申請がまだ。",
     [("postcode", "1500002"), ("address", "渋谷区渋谷二丁目21番1号")], []),
    ("ja", "昭和六十年四月十二日生まれ。同年代の中で自分だけ昇格が遅れていると感じている。",
     [("birthdate", "昭和六十年四月十二日")], []),
    ("ja", "S60生まれの同期の中では昇進が遅い方だと感じている。",
     [("birthdate", "S60")], []),
    ("en", "DOB 12/04/85 was written on the intake form; asked the desk to blank it.",
     [("birthdate", "12/04/85")], []),
    ("ja", "社員番号：００１２３４５の勤怠データが前部署に紐づいたままになっている。",
     [("employee_number", "００１２３４５")], []),
    ("ja", "職員番号 12-345 で勤怠が登録されているが、異動後も旧部署のまま。",
     [("employee_number", "12-345")], []),
    ("en", "Employee no. 7731 - please keep it out of the report; the team is small.",
     [("employee_number", "7731")], []),
    ("ja", "健康保険の被保険者証（記号 1203 番号 45）を人事に預けたままになっている。",
     [("id_number", "記号 1203 番号 45")], []),
    ("ja", "Slackでは @hana.sato、LINEは hana_0412 で連絡が取れるとのこと。",
     [("other", "@hana.sato"), ("other", "hana_0412")], []),
    ("ja", "車のナンバー（品川 330 さ 12-34）を駐車場申請の際に上司に伝えた。",
     [("other", "品川 330 さ 12-34")], []),
    ("en", "Instagram @yuki.runs shows her home neighbourhood; suggested tightening the privacy settings.",
     [("other", "@yuki.runs")], []),
    ("ja", "引っ越し先は横浜市西区みなとみらい3-6-1 みなとみらいレジデンス1204。通勤は楽になったが家賃負担が増えた。",
     [("address", "横浜市西区みなとみらい3-6-1 みなとみらいレジデンス1204")], []),
    ("en", "Lives at 1-2-3 Marunouchi, Chiyoda-ku, Tokyo with her parents and two children.",
     [("address", "1-2-3 Marunouchi, Chiyoda-ku, Tokyo")], []),
    ("ja", "本人：佐藤 花子（サトウ ハナコ）。テーマは管理職昇進と育児の両立。",
     [("name", "佐藤 花子"), ("name", "サトウ ハナコ")], [("佐藤 花子", "サトウ ハナコ")]),
    ("ja", "「キムさんが悪いわけではない」と何度も強調していた。チーム体制の問題だと捉えている。",
     [("name", "キム")], [("金 敏俊", "キム ミンジュン")]),
    ("ja", "アンナさん（ドイツ出身の同僚）に通訳を頼むことが多く、申し訳なく感じている。",
     [("name", "アンナ")], [("Anna Müller", "アンナ ミュラー")]),
    ("ja", "エミリーから英語面談の練習をしてもらっている。昇格面接は来月。",
     [("name", "エミリー")], [("Emily Clarke", "エミリー クラーク")]),
    ("en", "O'Brien-san in Legal suggested she talk to us about the transfer.",
     [("name", "O'Brien")], [("Sarah O'Brien", "サラ オブライエン")]),
    ("en", "Her line manager, Müller, turns down every request for flexible hours.",
     [("name", "Müller")], [("Anna Müller", None)]),
    ("ja", "前職の社長（堀内）とは今も連絡を取っている。戻ってこないかと言われたこともある。",
     [("name", "堀内")], []),
    ("ja", "同期の健太（営業二課）と比較されるのがつらいとのこと。評価は本人の方が高い年もあった。",
     [("name", "健太")], [("山本 健太", "ヤマモト ケンタ")]),
    ("ja", "林さん、森さん、原さんの3名が同時期に退職し、残されたメンバーの負荷が高い。",
     [("name", "林"), ("name", "森"), ("name", "原")], [("林 大輔", "ハヤシ ダイスケ"), ("森 恵", "モリ メグミ"), ("原 隆", "ハラ タカシ")]),
    ("ja", "浜課長が出張続きで、1on1が月1回から隔月になった。相談のタイミングがない。",
     [("name", "浜")], [("浜 聡", "ハマ サトシ")]),
    ("en", "Talked through the offer from Dr Nakagawa's clinic; she trained as a nurse before joining.",
     [("name", "Nakagawa")], []),
    ("ja", "さとうさん（人事）から紹介されて来談。紹介の経緯は聞いていない。",
     [("name", "さとう")], [("佐藤 愛", "サトウ アイ")]),
    ("ja", "本人のあだ名は「ちーちゃん」。チーム内では下の名前で呼び合う文化があり、上下関係が見えにくい。",
     [("name", "ちー")], [("吉田 千尋", "ヨシダ チヒロ")]),
    ("en", "Her husband Takeshi works in the same division, which makes the transfer request sensitive.",
     [("name", "Takeshi")], [("加藤 剛", "カトウ タケシ")]),
    ("ja", "米国の家族の番号 (555) 214-8830 を緊急連絡先に追加したいとのこと。",
     [("phone", "(555) 214-8830")], []),
    ("ja", "書類に個人番号（１２３４５６７８９０１２）の記載があったため、要確認。",
     [("id_number", "１２３４５６７８９０１２")], []),
    ("en", "Her staff ID 48213 appears in the subject line of every HR email she forwards.",
     [("employee_number", "48213")], []),
    ("ja", "社員ID E-20931 の勤怠が二重登録になっている件、システム部の谷さんに確認中。",
     [("employee_number", "E-20931"), ("name", "谷")], [("谷 翼", "タニ ツバサ")]),
    ("ja", "HANAKO.SATO@EXAMPLE.CO.JP 宛に資料を送ってほしいとのこと。社用アドレスは使いたくない。",
     [("email", "HANAKO.SATO@EXAMPLE.CO.JP")], []),
    ("ja", "www.example.co.jp/hanako に個人ブログがあり、職場の話も書いている。",
     [("url", "www.example.co.jp/hanako")], []),
    ("mixed", "LinkedIn（linkedin.com/in/yuki-mori）を更新した直後から、ヘッドハンターの連絡が増えた。",
     [("url", "linkedin.com/in/yuki-mori")], []),
    ("ja", "Teams会議のリンク：https://teams.microsoft.com/l/meetup-join/19%3ameeting_ZmYxNzk3%40thread.v2/0 を本人に送付済み。",
     [("url", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_ZmYxNzk3%40thread.v2/0")], []),
    ("ja", "本人の生年月日は1990/7/3で、今年36歳。同世代の管理職が増えてきて焦りがある。",
     [("birthdate", "1990/7/3")], []),
    ("ja", "LINEを交換した取引先の河合様から、休日にも連絡が来る。",
     [("name", "河合")], []),
    ("ja", "佐藤さんから090-1234-5678に連絡があり、面談日程を変更した。",
     [("name", "佐藤"), ("phone", "090-1234-5678")], [("佐藤 健", "サトウ ケン")]),
    ("ja", "山田部長と山田さん（同姓の別人、総務）を混同されることが多いとこぼしていた。",
     [("name", "山田")], [("山田 直樹", "ヤマダ ナオキ"), ("山田 彩", "ヤマダ アヤ")]),
    ("ja", "マネージャーのボーさん（スウェーデン出身）は評価を数値で示してくれるので納得感がある。",
     [("name", "ボー")], [("Bo Nilsson", "ボー ニルソン")]),
    ("mixed", "Manager: 高橋GM → 4月から Emily Clarke に交代。本人は期待半分、不安半分。",
     [("name", "高橋"), ("name", "Emily Clarke")], [("高橋 誠", "タカハシ マコト"), ("Emily Clarke", "エミリー クラーク")]),
    ("ja", "関さんの紹介で面談を予約。連絡は sekiguchi.m+taiwa@example.com 宛。",
     [("name", "関"), ("email", "sekiguchi.m+taiwa@example.com")], [("関 実", "セキ ミノル")]),
    ("ja", "住所：〒１００－０００１　東京都千代田区千代田１－１（本人の旧住所、更新予定）",
     [("postcode", "１００－０００１"), ("address", "東京都千代田区千代田１－１")], []),
    ("en", "The client, Yamaguchi Aoi, asked that her name be left out of the HR report entirely.",
     [("name", "Yamaguchi Aoi")], [("山口 葵", "ヤマグチ アオイ")]),
    ("ja", "面談には夫の正雄さんも途中から同席した。夫婦で転居を伴う異動について話し合いたいとのこと。",
     [("name", "正雄")], []),
    ("ja", "誕生日は4月12日。その週は毎年休みを取っているが、今年は決算と重なり取りづらい。",
     [("birthdate", "4月12日")], []),
    ("en", "Said her birthday is on 3 March and the team always plans a dinner she cannot skip.",
     [("birthdate", "3 March")], []),
    ("ja", "運転免許証番号 301234567890 が記載された写真を誤って送ってきたため、削除を依頼した。",
     [("id_number", "301234567890")], []),
    ("ja", "パスポート番号 TK1234567（本人申告）。海外研修の申込に必要とのことで人事に共有済み。",
     [("id_number", "TK1234567")], []),
    ("ja", "口座番号 1234567 への振込が遅れている件で経理に問い合わせ中。",
     [("id_number", "1234567")], []),
    ("en", "Call back on 09012345678 after six; the client works shifts.",
     [("phone", "09012345678")], []),
    ("ja", "連絡は090.4455.6677まで。メールは見ない日が多い。",
     [("phone", "090.4455.6677")], []),
    ("ja", "携帯：０９０‐２２３４‐９９８１（仕事用と私用を兼ねている）",
     [("phone", "０９０‐２２３４‐９９８１")], []),
    ("ja", "自宅の電話は(03)1234-5678。夜は家族が出ることがある。",
     [("phone", "(03)1234-5678")], []),
    ("en", "Reachable at +81-3-5412-0098 (home) on weekends.",
     [("phone", "+81-3-5412-0098")], []),
    ("ja", "大阪市北区梅田２－４－９の賃貸に住んでおり、転勤の場合は解約になる。",
     [("address", "大阪市北区梅田２－４－９")], []),
    ("ja", "神奈川県川崎市中原区小杉町三丁目の社宅に住んでいる。社宅制度の見直しが不安。",
     [("address", "神奈川県川崎市中原区小杉町三丁目")], []),
    ("ja", "郵便番号 150-0002 の地域に転居予定。引っ越しは6月。",
     [("postcode", "150-0002")], []),
    ("ja", "平成2年生まれで、管理職候補の中では最年少とのこと。",
     [("birthdate", "平成2年")], []),
    ("en", "Client was born 12 April 1985 and is the oldest member of the team.",
     [("birthdate", "12 April 1985")], []),
    ("ja", "マイナンバー 1234 5678 9012 を記入した扶養控除申告書を上司経由で提出してしまった。",
     [("id_number", "1234 5678 9012")], []),
    ("ja", "はなこちゃん（本人）はチームの最年少で、雑用を任されがち。",
     [("name", "はなこ")], [("鈴木 花子", "スズキ ハナコ")]),
    ("ja", "サトウさん（派遣元の営業担当）とは月1回面談している。",
     [("name", "サトウ")], []),
    ("ja", "花子さんのことを上司は「ハナ」と呼ぶが、本人は好ましく思っていない。",
     [("name", "花子"), ("name", "ハナ")], [("中村 花子", "ナカムラ ハナコ")]),
    ("ja", "Xuさん（中国拠点から出向中）とペアで動いているが、言葉の壁で誤解が生じることがある。",
     [("name", "Xu")], [("Xu Lei", "シュー レイ")]),
    ("ja", "上司がBoさんに代わってから、評価面談が英語になった。本人は英語での自己アピールに苦手意識がある。",
     [("name", "Bo")], [("Bo Nilsson", "ボー ニルソン")]),
    ("ja", "Ngさんの送別会の幹事を任されたが、業務時間外の準備が負担になっている。",
     [("name", "Ng")], [("Ng Wing Sze", None)]),
    ("ja", "Liさん、Wuさんの二人が本人の直属。指示の出し方が正反対で混乱している。",
     [("name", "Li"), ("name", "Wu")], [("Li Wei", "リー ウェイ"), ("Wu Hao", "ウー ハオ")]),
    ("en", "Ng, who heads the Seoul desk, wants her to move there next year.",
     [("name", "Ng")], [("Ng Wing Sze", "ン ウィンシー")]),
    ("en", "Xu asked her to cover two extra accounts; she feels the request is unfair.",
     [("name", "Xu")], [("Xu Lei", None)]),
    ("en", "Her manager, Wu, rates her work highly but cannot offer a raise this year.",
     [("name", "Wu")], [("Wu Hao", "ウー ハオ")]),
    ("en", "Bo, the team head, is on leave, so the 1on1s have stopped for now.",
     [("name", "Bo")], [("Bo Nilsson", "ボー ニルソン")]),
    ("mixed", "Mentor の Li さんが4月に帰任予定。その後のsupport体制が不安。",
     [("name", "Li")], [("Li Wei", "リー ウェイ")]),
    ("ja", "呉さん（上海出身）からのフィードバックが率直すぎて、チーム内で戸惑いが広がっている。",
     [("name", "呉")], [("呉 浩", "ウー ハオ")]),
    ("ja", "李課長は面倒見が良いが、評価は厳しめ。本人は李課長の下で成長できていると感じている。",
     [("name", "李")], [("李 偉", "リ ウェイ")]),
    ("en", "Personal site: HTTPS://WWW.EXAMPLE.COM/KAORI-NISHI (she asked that it not be shared).",
     [("url", "HTTPS://WWW.EXAMPLE.COM/KAORI-NISHI")], []),
    ("ja", "ＨＡＮＡ．ＳＡＴＯ＠ＥＸＡＭＰＬＥ．ＣＯＭ（全角で入力されていた）宛に資料を送付した。",
     [("email", "ＨＡＮＡ．ＳＡＴＯ＠ＥＸＡＭＰＬＥ．ＣＯＭ")], []),
    ("ja", "社員番号：Ａ２０９３１の評価シートが二重に作成されていた。",
     [("employee_number", "Ａ２０９３１")], []),
    ("ja", "社員ＩＤ　Ｅ－４４１０２で面談が予約されていたが、本人は別の部署の所属になっている。",
     [("employee_number", "Ｅ－４４１０２")], []),
    ("ja", "面談後、本人から「ｗｗｗ．ｅｘａｍｐｌｅ．ｊｐ／ｍｉｈｏ に活動をまとめています」と連絡があった。",
     [("url", "ｗｗｗ．ｅｘａｍｐｌｅ．ｊｐ／ｍｉｈｏ")], []),
    ("ja", "連絡先は ０９０ー８８７６ー５４３２ （本人が全角で記入）。",
     [("phone", "０９０ー８８７６ー５４３２")], []),
    ("ja", "〒５３０－０００１ 大阪市北区梅田三丁目１番３号の本人宅まで書類を郵送予定。",
     [("postcode", "５３０－０００１"), ("address", "大阪市北区梅田三丁目１番３号")], []),
]


# --------------------------------------------------------------------------
# ordinary summaries: no personal data, but full of look-alikes
# slots: {Y} year  {M} month  {H} hours  {P} percent  {N} count  {K} pay (万円)
#        {Q} quarter  {T} TOEIC  {BR} branch  {SYS} system  {GR} grade  {EV} rating
#        {DATE} ISO date of an event  {VER} version  {YRS} years of service
# --------------------------------------------------------------------------
ORD_SLOTS = {
    "Y": lambda r: str(r.choice([2025, 2026, 2027])),
    "M": lambda r: str(r.randint(1, 12)),
    "H": lambda r: str(r.choice([20, 30, 35, 40, 45, 50, 60, 80])),
    "P": lambda r: str(r.choice([3, 5, 10, 15, 20, 30, 40, 70, 85])),
    "N": lambda r: str(r.randint(2, 12)),
    "D": lambda r: str(r.randint(1, 4)),
    "K": lambda r: str(r.choice([420, 480, 500, 550, 600, 650, 720, 800, 950, 1200])),
    "Q": lambda r: r.choice(["Q1", "Q2", "Q3", "Q4"]),
    "T": lambda r: str(r.choice([600, 650, 730, 800, 860, 905])),
    "BR": lambda r: r.choice(["大阪支社", "福岡支店", "名古屋営業所", "札幌オフィス", "仙台支店", "広島支店", "横浜事業所",
                              "京都研究所", "那覇オフィス", "北九州工場", "東京本社", "南大阪営業所", "西日本統括部"]),
    "BRE": lambda r: r.choice(["the Osaka branch", "the Fukuoka office", "the Nagoya sales office", "the Sapporo office",
                               "head office in Tokyo", "the Singapore hub", "the Yokohama plant", "the Kyoto lab"]),
    "SYS": lambda r: r.choice(["SAP", "Salesforce", "Excel", "kintone", "Workday", "SmartHR", "Teams", "Slack", "Jira",
                               "Power BI", "Tableau", "ServiceNow", "Notion", "Backlog", "Box"]),
    "GR": lambda r: r.choice(["G3", "G4", "M1", "M2", "J2", "S3", "L4", "P2"]),
    "EV": lambda r: r.choice(["B+", "A-", "S", "B", "C", "A", "3.5", "4"]),
    "DATE": lambda r: r.choice(["2026-10-01", "2026-04-01", "2027-01-01", "2025-07-01", "2026-07-15"]),
    "VER": lambda r: r.choice(["v2.3", "Ver.4.1", "v1.0", "3.2.1", "v5", "2.0"]),
    "YRS": lambda r: str(r.randint(2, 25)),
}

ORD_JA = [
    "{Y}年4月から新しい評価制度が始まるが、評価基準の説明が不十分だと感じている。上司の方からの説明も一度きりだった。",
    "{BR}への異動を打診されている。家族と相談中で、結論は{M}月末までに出したいとのこと。",
    "残業が月{H}時間を超える状態が3か月続いている。業務量の見直しを上司に相談したが、具体策はまだない。",
    "年収{K}万円から大きく上がる見込みがなく、転職も視野に入れ始めた。ただし現職の人間関係には満足している。",
    "入社{YRS}年目。部長職への昇進を目指しているが、管理職研修の枠が少なく順番待ちになっている。",
    "課長代理としてメンバー{N}人をまとめているが、プレイングマネージャーで自分の業務が回らない。",
    "TOEIC {T}点を取得し、海外案件への参加を希望。社内公募の時期を確認したいとのこと。",
    "{SYS}の導入プロジェクトに関わり、業務改善の面白さに目覚めた。DX推進室への異動を希望している。",
    "評価は{EV}だったが、フィードバックが抽象的で次に何をすべきか分からないとのこと。",
    "等級{GR}への昇格要件を満たしているはずだが、昇格の見送り理由が説明されていない。",
    "{DATE}の組織変更で部署が統合される予定で、自分の役割がどうなるか不安。",
    "東京本社から南大阪営業所への転勤後、通勤時間は短くなったが、本社との情報格差を感じている。",
    "森林保全の事業に関心があり、社会貢献活動の制度を使いたいと考えている。林業関連の資格にも興味がある。",
    "北海道出身で、いずれは地元に戻りたい。リモート勤務の制度がどこまで広がるかに注目している。",
    "新宿駅南口の新オフィスへの移転で通勤が楽になった一方、フリーアドレスに戸惑いがある。",
    "不調の原因は業務量よりも、会議の多さにあると本人は分析している。週{D}本の定例会議を減らしたいとのこと。",
    "中間評価の面談が形骸化しており、上司と話す機会は年2回しかないと感じている。",
    "先輩社員の退職が続き、ノウハウの継承が課題。本人はマニュアル整備を自主的に進めている。",
    "お客さんからの評価は高いが、社内ではその点が評価に反映されないという不満がある。",
    "皆さんの前で発表する機会が増え、プレゼンへの苦手意識が和らいできた。次は社外登壇に挑戦したい。",
    "第{D}四半期の目標が未達で、上司の方から改善計画の提出を求められている。",
    "リスキリングの一環でデータ分析を学習中。社内の学習支援制度で受講料の{P}%が補助される。",
    "キャリア研修で「5年後の自分」を考える機会があり、マネジメントよりも専門性を伸ばしたいと気づいた。",
    "育児との両立のため時短勤務中。{Y}年度中にフルタイムへ戻るか迷っている。",
    "親の介護が始まりそうで、介護休業制度について知りたい。まだ上司には話していない。",
    "在宅勤務が週{D}日に制限され、通勤負担が増えた。集中できる環境としては自宅の方が良いと感じている。",
    "ハラスメントとまではいかないが、会議での発言を遮られることが多く、萎縮しがち。",
    "評価面談が{Q}にずれ込み、目標設定が遅れた。期初に合意したかったとのこと。",
    "賞与の算定方法が{Y}年から変わったが、説明資料が分かりにくいという意見。",
    "原価管理の業務を担当して{YRS}年。専門性は評価されているが、キャリアの幅が狭いことを気にしている。",
    "東北地方の工場へ応援に行く機会があり、現場の仕事に魅力を感じた。製造部門への異動も考えたい。",
    "南米向けの新規案件が始まり、スペイン語の学習を始めた。語学手当の制度があれば使いたい。",
    "西日本統括部への再編で、上司が2人いるような状態になっている。指示系統を整理してほしい。",
    "上期の売上は目標比{P}%増で好調だったが、本人は燃え尽きに近い状態を自覚している。",
    "昇格試験の面接で「リーダーシップの具体例」をうまく話せなかった。次回に向けて準備したい。",
    "チームの平均残業時間が{H}時間を超え、離職が相次いでいる。組織として手を打ってほしいとの要望。",
    "新入社員の育成担当になったが、OJTの進め方に関する研修がない。",
    "{SYS}の操作に慣れておらず、若手に聞くのが気まずいと感じている。研修の機会を求めている。",
    "テレワーク中心になってから雑談が減り、孤立感がある。月1回の出社日を楽しみにしている。",
    "営業目標の配分が不公平だと感じている。担当エリアの市場規模に差があるため。",
    "管理職になると残業代がなくなり、手取りが下がることを懸念している。",
    "キャリア面談で上司の方が親身に話を聞いてくれたことに感謝している。ただし具体的な支援策はまだない。",
    "副業制度の解禁を受けて、週末にWebデザインの仕事を始めたいと考えている。",
    "{BR}の立ち上げメンバーに選ばれた。やりがいはあるが、単身赴任になる点が悩み。",
    "人事制度の改定で「ジョブ型」への移行が進むと聞き、自分の職務記述書がどうなるか気になっている。",
    "評価者研修を受けていない上司が評価を行っていることに疑問を持っている。",
    "部署内で派閥のようなものがあり、どちらにも属さない本人は情報が入りにくい。",
    "仕事への意欲はあるが、体調の波があり、通院のための休暇制度を確認したい。",
    "資格手当の対象資格が少なく、取得のモチベーションが上がらないという声。",
    "入社時に聞いていたキャリアパスと実際の配属が異なり、違和感を抱え続けている。",
    "東京と大阪の二拠点勤務が認められれば、家族の事情にも対応できるとのこと。",
    "中堅社員向けの研修が少なく、成長の機会が限られていると感じている。",
    "春の人事異動で課の人数が{N}人から2人減り、一人あたりの担当が増えた。",
    "{Y}年度の目標に「後輩育成」が追加されたが、評価の基準が示されていない。",
    "社内の相談窓口は敷居が高く、外部の面談の方が話しやすいとのこと。",
    "上司との関係は良好。本人の課題はむしろ、将来の方向性が定まらないことにある。",
    "他部署との調整業務が多く、本来の企画業務に時間を割けない。役割の整理を希望。",
    "役職定年まであと{N}年。後進に道を譲りつつ、専門職として残る道を模索している。",
    "AIツールの導入で業務の一部が自動化され、自分のスキルの価値に不安を感じている。",
    "生成AIの活用研修に参加し、業務効率化の可能性を感じた。社内展開を担いたいとの意欲。",
    "森林組合との協業プロジェクトで地方出張が増えている。負担はあるが、やりがいも大きい。",
    "原因究明のタスクフォースに入り、品質保証の仕事に興味を持った。",
    "中国語を活かせる部署を希望。上海拠点との連携業務が増える見込み。",
    "東口の駐車場が閉鎖され、車通勤の人の負担が増えた。会社の補助制度について質問あり。",
    "関西エリアの営業統括を任される見込み。東京との往復が月{N}回程度になりそう。",
    "谷間の世代と言われる層で、上にも下にも人が少なく、管理職候補が本人しかいない状況。",
    "星の数ほどある研修プログラムの中から、何を選べばよいか分からないという相談。",
    "島しょ部の営業所への応援勤務が決まった。期間は{M}か月。",
    "浜松工場の品質管理チームとの連携が多い。現場の声を企画に活かしたいとのこと。",
    "泉州エリアの新規開拓を担当。成果は出ているが評価に反映されていない。",
    "町工場との取引が多い部署で、関係構築のやり方が独特。本人はその文化に馴染んでいる。",
    "柳のように受け流すのが得意だと自己分析しているが、ストレスは溜まっている様子。",
    "堀の内側にいるような閉塞感があると表現していた。社外との接点を増やしたい。",
    "辻褄の合わない指示が続き、仕事の優先順位を決められないとのこと。",
    "岡山への転勤の可能性があり、家族と話し合っている。",
    "金曜日の夕方に会議が集中しており、週末まで仕事を引きずる。会議の時間帯の見直しを希望。",
    "給与の金額そのものより、昇給の仕組みが分からないことに不満がある。",
    "王道のキャリアパス（営業→企画→管理職）に乗れていないことを気にしている。",
    "李下に冠を正さずという言葉を上司が口癖にしており、慎重すぎる社風を感じている。",
    "学習意欲は高いが、業務時間内の研修受講が認められにくい。",
    "希望していた部署への異動が叶い、前向きな状態。今後の課題は評価への適応。",
    "実際の業務と評価項目がかみ合っておらず、評価シートの見直しを提案したいとのこと。",
    "進捗管理の手法をチームに導入したところ、上司から高く評価された。",
    "健康診断で再検査となり、働き方を見直したいと考えている。",
    "光熱費の高騰で在宅勤務手当の増額を希望する声がチームで上がっている。",
    "恵まれた環境だと理解しているが、このままでいいのかという漠然とした不安がある。",
    "修正依頼が多く、手戻りの原因がどこにあるのか上司と整理したい。",
    "誠実に対応してきたつもりだが、顧客対応の評価が低くショックを受けている。",
    "優先順位の付け方について上司と認識のずれがある。",
    "空き時間に資格の勉強をしているが、進みが遅い。",
    "翼を広げられる環境を求めて、新規事業部への異動を希望。",
    "愛社精神はあるが、待遇面で他社に劣ると感じている。",
    "舞台裏の調整役ばかりで、表に出る仕事がしたいとのこと。",
    "純粋に仕事は楽しいが、通勤が長いことだけが不満。",
    "望んでいた職種に就けたが、想像と違う部分も多い。",
    "上司の指示が曖昧で、進め方を毎回確認する必要がある。",
    "上司は在宅勤務に否定的で、チームの出社率は{P}%を超えている。",
    "司会進行を任される機会が増え、自信がついてきた。",
    "部長は多忙で、直属の上司とも話す時間がない。相談の場がほしいとのこと。",
    "課長昇進後、部下が{N}名になった。マネジメント研修の受講を希望。",
    "評価B+で昇格基準にわずかに届かなかった。次期に向けた具体的な目標を立てたい。",
    "{DATE}付けで組織改編があり、レポートラインが変わる。新しい上司とはまだ面識がない。",
    "在宅勤務規程の{VER}が公開されたが、変更点が分かりにくいという声。",
    "{SYS}のライセンスが部署に{N}つしかなく、業務が滞ることがある。",
    "人事評価システムが{SYS}に移行し、入力の手間が増えたと感じている。",
    "2月入社のため、評価期間が短く不利になったと感じている。",
    "4月入社の新人の受け入れ準備で、通常業務が圧迫されている。",
    "10月に産休から復帰予定。復帰後の配属について早めに知りたい。",
    "{Y}年{M}月に予定されている組織変更について、情報が現場に降りてこない。",
    "残業{H}時間、休日出勤{D}回の月があり、体力的に限界を感じたとのこと。",
    "管理職比率{P}%という目標が掲げられているが、候補者の育成が追いついていない。",
    "年収は{K}万円で、同業他社の水準と比べるとやや低いと認識している。",
    "営業部から人事部への異動を希望。採用業務に携わりたい。",
    "経理部で{YRS}年の経験がある。財務分析のスキルを伸ばしたい。",
    "介護と両立するため、フレックスタイム制度の適用を希望している。",
    "育休取得を検討中。男性の取得例が部署にまだ少なく、言い出しにくい。",
    "上司の方針と自分のキャリア志向が合わず、今後について相談したいとのこと。",
    "チームの心理的安全性が低いと感じている。失敗を報告しにくい雰囲気がある。",
    "キャリアの棚卸しを行い、強みは調整力と分析力だと整理できた。",
    "異動後の職場に馴染めず、前の部署に戻りたい気持ちがある。",
    "昇格の可否が{M}月に決まる。結果次第で転職も検討するとのこと。",
    "評価の納得感を高めるため、1on1で目標の進捗を毎月確認することにした。",
    "退職者の補充がなく、{N}人分の業務を半分の人数で回している状況。",
    "研修で学んだコーチングを実践したいが、部下との時間が取れない。",
    "転職市場の状況を知りたいとの相談。現時点で具体的な転職活動はしていない。",
    "子の看護休暇の日数が足りないとの声。制度の拡充を望んでいる。",
    "在宅勤務の日は業務の切り替えが難しく、長時間労働になりがち。",
    "異動希望調書の書き方について助言がほしいとのこと。",
    "社内副業制度を使って、マーケティング部の案件に週{N}時間関わっている。",
    "北米市場向けの新製品チームに加わり、英語での会議が増えた。",
    "西口の新社屋への移転に伴い、執務環境が大きく変わる。",
    "中途入社で{YRS}か月。社内のルールや暗黙知が多く、慣れるのに時間がかかっている。",
    "上層部の方針転換が多く、現場が疲弊している。",
    "部下の評価に悩んでいる。評価者としての研修をもう一度受けたい。",
    "課長職への昇進辞退を考えている。家庭の事情を優先したい。",
    "社長表彰を受けたが、その後の処遇に変化がなく、複雑な気持ち。",
    "本部長交代で戦略が変わり、担当プロダクトの縮小が決まった。",
    "お客様先への常駐が長く、自社への帰属意識が薄れてきている。",
    "先輩の方々に恵まれ、相談しやすい職場。課題は自分のキャリアの方向性。",
    "係長昇格から{N}年が経ち、次のステップが見えない。",
    "主任以上の社員を対象にした選抜研修に応募したいとのこと。",
    "次長ポストが空いているが、社内公募は行われない見込み。",
    "Li-ion電池の品質管理を担当しており、専門性を活かせる部署に残りたい。",
    "ISO 9001の内部監査員資格を取得した。監査業務へのキャリアも考えている。",
    "KPIが月ごとに変わり、何を目指せばよいか分からなくなっている。",
    "OKRの導入で目標設定の考え方が変わり、まだ慣れない。",
]

ORD_EN = [
    "Wants a clearer path to a manager role; the new grading system from April {Y} has not been explained well.",
    "Considering a move to {BRE}. Family discussions are ongoing and a decision is due by the end of Q{D}.",
    "Overtime has averaged {H} hours a month since the reorg; asked how to raise it without sounding negative.",
    "Base pay has barely moved in three years. Not actively job hunting, but open to offers.",
    "Got TOEIC {T} and would like to join the overseas projects team.",
    "Rated {EV} this cycle; feedback was vague, so the next steps are unclear.",
    "The reorg on {DATE} will merge two departments, and the client is unsure where the role will land.",
    "Enjoys the work but the commute to head office is 90 minutes each way.",
    "Interested in the reskilling programme; the company covers {P}% of course fees.",
    "Returned from parental leave and is on reduced hours until March {Y}.",
    "Caring for a parent may become necessary soon; wants to understand the leave policy first.",
    "Team of {N} with two vacancies unfilled since spring; workload is unsustainable.",
    "Would like to move from sales into HR, ideally recruiting.",
    "Struggling with {SYS} after the migration; training was a single one-hour session.",
    "Feels meetings take up {P}% of the week. Wants fewer recurring calls.",
    "The Li-ion battery project is winding down and the client is worried about redeployment.",
    "Listens to Wu-Tang on the commute to decompress; says morale in the team is good despite the reorg.",
    "Would like to grow into a product owner role. The AI team is hiring internally in {Q}.",
    "Thinks the Park Avenue client account gave great experience but no promotion credit.",
    "Works on the Mark II platform; wants the legacy work recognised in the evaluation.",
    "The grace period for the new remote-work rules ends in April, after which three office days are required.",
    "Has been asked to mentor new hires but gets no time allocated for it.",
    "Promoted to {GR} last year; now unsure whether to aim for a management track.",
    "Raised that annual reviews come too late to change anything within the year.",
    "Finds the job-based HR model confusing; job descriptions have not been published yet.",
    "Feels isolated working fully remote; would welcome a monthly team day.",
    "Wants to study for an MBA part-time and asked about tuition support.",
    "Bonus formula changed in {Y}; the explanation deck is 40 pages long and hard to follow.",
    "Wants to stay in the specialist track rather than manage people.",
    "The department head has changed three times in two years, so direction keeps shifting.",
    "Asked how to approach a conversation about a pay rise without an external offer.",
    "Currently at level {GR}; the criteria for the next level were updated in version {VER} of the policy.",
    "Will the Hill Street office close? Rumours about the site consolidation are affecting the team.",
    "Interested in a secondment to {BRE} for six months.",
    "Says the 360 feedback tool ({SYS}) makes comments easy to trace back; trust is low.",
    "Wants to learn SQL and Python; the budget for {Y} has already been used up.",
    "Joined in October, so the first review covered only five months.",
    "Sales targets for {Q} were raised by {P}% with no extra headcount.",
    "Health check flagged high blood pressure; wants to cut late-night work.",
    "Would like more feedback in 1on1s rather than status updates.",
    "Kendo practice and volunteering take up weekends; no issues with work-life balance.",
    "The April intake of graduates means the team will double; wants training on onboarding.",
]

ORD_MIXED = [
    "Career goal: 3年以内にPM。現在はQA担当で、{SYS}のテスト自動化を進めている。",
    "評価は{EV}。Feedbackがvagueで、next stepが見えないとのこと。",
    "Remote work policyの変更で週{D}日出社に。Commuteが片道70分。",
    "TOEIC {T}点。Global projectへのassignを希望。",
    "{DATE}のreorgでreporting lineが変わる。新しいmanagerとは未面識。",
    "Workload: 残業月{H}h。Headcountの補充がない。",
    "Reskilling: AWS認定を{Y}年中に取得予定。Budgetは部署で確保済み。",
    "Promotion: {GR}→次の等級への要件が不明確。HRにclarificationを求めたい。",
    "Childcare + 時短勤務。{Y}年度中にfull-timeへ戻るか検討中。",
    "AI活用のtask forceに参加。Career的にはdata側へ進みたい。",
    "Li-ion battery事業の縮小で、配置転換の可能性あり。",
    "1on1の頻度が月1→四半期1に。Managerは忙しいが、関係は悪くない。",
    "Pay: 年収{K}万円。Market rateより低いと感じている。",
    "Job change intention: low。ただし社内公募には関心あり。",
    "Mentoring制度でsenior engineerと月1で話している。Very helpfulとのこと。",
    "{BR}へのtransferの打診あり。Familyと相談中。",
    "Harassment-adjacent: 会議での発言が遮られることが多い。Formal complaintは不要とのこと。",
    "Evaluation systemの変更点（{VER}）について説明会を希望。",
    "Nursing care: 親の通院付き添いで月{N}回休む。Flexの活用を検討。",
    "Q{D}のOKRがunrealisticだと感じている。Managerと再調整したい。",
]

ORD_JA += [
    "セキュリティ研修の受講が必須になったが、業務時間内に受ける余裕がないとのこと。",
    "新しいアイデアを出しても採用されず、提案する意欲が下がっている。",
    "プロジェクトのマイルストーンが{M}月に前倒しされ、チーム全体が疲弊している。",
    "ハラスメント研修は受けたが、実際にどこからが問題なのかが分かりにくいと感じている。",
    "評価がイマイチだった理由を知りたいが、上司に聞くタイミングを逃している。",
    "部署ごとに評価の付け方がマチマチで、不公平感があるとの指摘。",
    "チームの平均（アベレージ）より成果は高いのに、評価は標準だったことに納得がいかない。",
    "大阪ミナミの店舗を統括する立場になり、現場との距離感に悩んでいる。",
    "社用PCのメモリ不足で作業が遅く、業務効率に影響している。機器更新を希望。",
    "レンタルオフィスでの勤務が認められるかどうか、規程を確認したいとのこと。",
    "マイナス評価を受けた項目について、具体的な改善策を上司と話し合いたい。",
    "東西の拠点で評価基準が違うのではないかという疑問を持っている。",
    "南北に長い担当エリアを一人で回っており、移動時間が長い。",
    "北関東の営業所への異動の可能性がある。家族との時間をどう確保するか考えている。",
    "西洋美術の学芸員から転職してきた経歴があり、社内では珍しいキャリア。",
    "関連会社への出向が{Y}年で終わり、本社に戻る予定。戻った後の役割が見えない。",
    "谷あり山ありの{YRS}年間だったが、今の仕事には満足しているとのこと。",
    "星取表のような成果管理に違和感がある。プロセスも評価してほしい。",
    "島国根性という言葉を上司が使い、海外拠点との協働に消極的な雰囲気がある。",
    "浜辺の清掃ボランティアを社内で企画しており、CSR部門への関心がある。",
    "原則として在宅勤務は週2日までとなり、通勤負担が増えた。",
    "原材料の高騰で予算が削られ、研修費が半分になったとのこと。",
    "森羅万象に通じた上司に憧れているが、自分は専門を深めたいタイプだと自己分析している。",
    "健全な職場だと思うが、成長の機会は少ないと感じている。",
    "誠意をもって対応しても、顧客からの要求がエスカレートすることがある。",
    "愛着のある職場だが、待遇面では転職も選択肢に入る。",
    "翌月から新チームに異動予定。業務の引き継ぎが間に合うか不安。",
    "修士課程で学んだ統計を業務に活かしたい。",
    "光通信関連の製品開発に携わっており、技術の専門性を高めたいとのこと。",
    "上司とは相性が良いが、部長との間に距離を感じる。",
    "望ましいキャリアについて具体像がなく、まずは棚卸しから始めたい。",
    "優秀な後輩が次々と辞めていくことに危機感を持っている。",
    "空気を読むことが求められる職場で、意見を言いにくい。",
    "純利益の目標が引き上げられ、営業部門へのプレッシャーが強まっている。",
    "学び直しの機会として、社外の大学講座を受講したい。",
    "実績は十分あるが、自己アピールが苦手で評価に結びつかない。",
    "進路に悩む若手の相談に乗ることが多く、メンター制度の正式化を望んでいる。",
    "隆盛を極めた事業部が縮小され、今後の配置が不透明になっている。",
    "舞い込んでくる雑務が多く、本来の業務に集中できない。",
    "薫陶を受けた元上司が退職し、社内に相談相手がいなくなった。",
    "金融機関からの転職組で、業界の慣習の違いに戸惑っている。",
    "王子の工場での勤務経験があり、製造現場の改善に関わりたい。",
    "陳腐化したスキルを更新したいとの思いから、リスキリングに前向き。",
    "朴訥な性格で、社内政治が苦手だと自覚している。",
    "呉服の事業部から異動してきたため、ITの用語に慣れていない。",
    "町内会の役員を引き受けたため、週末の出勤は避けたいとのこと。",
    "柳川の実家の家業を手伝うかどうか、長期的に考えている。",
    "堀の深い議論ができる上司に恵まれたが、その上司が異動になる。",
    "泉のようにアイデアが湧く同僚と比べて、自分は実行型だと話していた。",
]


# --------------------------------------------------------------------------
# building
# --------------------------------------------------------------------------
LANG_PREFIX = {"ja": "ja", "en": "en", "mixed": "mx"}


def record_from_fill(rng, frame, lang):
    for _ in range(200):
        text, spans, persons = fill(rng, frame, lang)
        ok, _bad = masked_ok(text, spans)
        if not ok:
            continue
        known = [persons[s] for s in KNOWN_SLOTS if s in persons]
        decoys = pick_decoys(rng, text, list(persons.values()), lang, rng.choice([1, 1, 2, 2, 3]))
        if not decoys:
            continue
        pii, seen = [], set()
        for kind, s, e, who in sorted(spans, key=lambda x: x[1]):
            v = text[s:e]
            if (kind, v) not in seen:
                seen.add((kind, v))
                pii.append({"kind": kind, "value": v})
                if kind == "name":
                    NAME_STATS["known" if who in KNOWN_SLOTS else "outsider"] += 1
        people = known + decoys
        rng.shuffle(people)
        return {"lang": lang, "text": text, "pii": pii, "people": people_json(people)}
    raise SystemExit(f"cannot fill frame without collisions: {frame}")


NAME_STATS = {"known": 0, "outsider": 0}
ONE_OFF_OUTSIDERS = {"杉浦", "岡村", "はな", "堀内", "河合", "Nakagawa", "正雄", "サトウ"}


def record_from_oneoff(rng, lang, text, pii, people):
    for kind, v in pii:
        if kind == "name":
            NAME_STATS["outsider" if v in ONE_OFF_OUTSIDERS else "known"] += 1
    for kind, v in pii:
        assert v in text, (v, text)
        assert norm(text).count(norm(v)) == text.count(v) or v in ("佐藤",), ("normalisation adds matches", v, text)
    used = []
    for name, _reading in people:
        parts = name.split()
        used.append(Person("jp", parts[0], parts[-1], "", "", "", "", "f", True))
    decoys = pick_decoys(rng, text, used, lang, rng.choice([1, 2, 2, 3]))
    ppl = [{"name": n, "reading": r} for n, r in people] + people_json(decoys)
    rng.shuffle(ppl)
    return {"lang": lang, "text": text, "pii": [{"kind": k, "value": v} for k, v in pii], "people": ppl}


def trap_people(rng, text):
    """Org people whose name parts (kanji, kana or romaji) occur inside
    ordinary words of this text: 森 in 森林, 司 in 上司, ハラ in ハラスメント,
    Ai in AI, Li in Li-ion.  A scrubber that redacts bare name parts breaks them."""
    tl = unicodedata.normalize("NFKC", text).casefold()

    def word(tok):
        return re.search(r"(?<![a-z])" + re.escape(tok.casefold()) + r"(?![a-z])", tl)

    def hit(kanji, kana, romaji):
        return (kanji in text or (len(kana) >= 2 and (kana in text or hira(kana) in text))
                or any(word(r) for r in romaji.split("|") if r))

    cands = []
    for s in SURNAMES + ONE_KANJI_SURNAMES:
        if hit(*s):
            g = rng.choice(GIVEN)
            cands.append(Person("jp", s[0], g[0], s[1], g[1], s[2], g[2], g[3], True))
    for g in GIVEN:
        if hit(g[0], g[1], g[2]):
            s = rng.choice(SURNAMES)
            cands.append(Person("jp", s[0], g[0], s[1], g[1], s[2], g[2], g[3], True))
    for f, g, fk, gk, sex, ff in LATIN_ORG:
        if word(f) or word(g) or (len(fk) >= 2 and fk in text):
            cands.append(Person("latin", f, g, fk, gk, f, g, sex, True, ff, True))
    for f, g, fk, gk, fr, gr, sex in CJK_ORG:
        if f in text or any(word(r) for r in fr.split("|")):
            cands.append(Person("cjk", f, g, fk, gk, fr, gr, sex, True))
    return cands


def ordinary_record(rng, frame, lang):
    text = PH.sub(lambda m: ORD_SLOTS[m.group(1)](rng), frame)
    traps = trap_people(rng, text)
    people = []
    if traps and rng.random() < 0.85:
        people.append(rng.choice(traps))
    k = rng.choice([0, 1, 1, 2]) if people else rng.choice([1, 2, 2, 3])
    people += pick_decoys(rng, text, people, lang, k)
    rng.shuffle(people)
    return {"lang": lang, "text": text, "pii": [], "people": people_json(people)}


def build():
    rng = random.Random(SEED)
    recs = []
    for frames, lang, times in ((JA_FRAMES, "ja", 2), (EN_FRAMES, "en", 2), (MIXED_FRAMES, "mixed", 2)):
        for frame in frames:
            for _ in range(times):
                recs.append(record_from_fill(rng, frame, lang))
    for lang, text, pii, people in ONE_OFFS:
        recs.append(record_from_oneoff(rng, lang, text, pii, people))
    rng.shuffle(recs)
    counters, out = {}, []
    for r in recs:
        p = LANG_PREFIX[r["lang"]]
        counters[p] = counters.get(p, 0) + 1
        out.append({"id": f"{p}-{counters[p]:04d}", **r})

    ords, seen = [], set()
    for frames, lang, times in ((ORD_JA, "ja", 2), (ORD_EN, "en", 2), (ORD_MIXED, "mixed", 2)):
        for frame in frames:
            n = times if PH.search(frame) else 1
            for _ in range(n):
                for _try in range(20):
                    r = ordinary_record(rng, frame, lang)
                    if r["text"] not in seen:
                        break
                if r["text"] in seen:
                    continue
                seen.add(r["text"])
                ords.append(r)
    rng.shuffle(ords)
    counters, oout = {}, []
    for r in ords:
        p = LANG_PREFIX[r["lang"]]
        counters[p] = counters.get(p, 0) + 1
        oout.append({"id": f"ord-{p}-{counters[p]:04d}", **r})
    return out, oout


def write_jsonl(path, recs):
    with open(path, "w", encoding="utf-8") as f:
        for r in recs:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


# --------------------------------------------------------------------------
# validation of the written files
# --------------------------------------------------------------------------
KINDS = ["email", "url", "phone", "postcode", "address", "birthdate", "employee_number", "id_number", "name", "other"]
KATAKANA_READING = re.compile(r"^[\u30A0-\u30FF]+ [\u30A0-\u30FF]+$")


def check(min_summaries=560, min_ordinary=300, min_per_kind=25):
    errors = []
    ids = set()
    stats = {}
    texts = set()
    for fname, must_pii in (("summaries.jsonl", True), ("ordinary.jsonl", False)):
        n = 0
        langs = {}
        with open(os.path.join(HERE, fname), encoding="utf-8") as f:
            for ln, line in enumerate(f, 1):
                try:
                    r = json.loads(line)
                except json.JSONDecodeError as e:
                    errors.append(f"{fname}:{ln}: bad JSON {e}")
                    continue
                n += 1
                if set(r) != {"id", "lang", "text", "pii", "people"}:
                    errors.append(f"{fname}:{ln}: keys {sorted(r)}")
                if r["id"] in ids:
                    errors.append(f"{fname}:{ln}: duplicate id {r['id']}")
                ids.add(r["id"])
                if r["text"] in texts:
                    errors.append(f"{fname}:{ln}: duplicate text")
                texts.add(r["text"])
                if r["lang"] not in ("ja", "en", "mixed"):
                    errors.append(f"{fname}:{ln}: lang {r['lang']}")
                langs[r["lang"]] = langs.get(r["lang"], 0) + 1
                if must_pii and not r["pii"]:
                    errors.append(f"{fname}:{ln}: no pii")
                if not must_pii and r["pii"]:
                    errors.append(f"{fname}:{ln}: ordinary with pii")
                if not (1 <= len(r["people"]) <= 8):
                    errors.append(f"{fname}:{ln}: people count {len(r['people'])}")
                for p in r["people"]:
                    rd = p.get("reading")
                    if rd is not None and not KATAKANA_READING.match(rd):
                        errors.append(f"{fname}:{ln}: reading {rd!r}")
                for item in r["pii"]:
                    if item["kind"] not in KINDS:
                        errors.append(f"{fname}:{ln}: kind {item['kind']}")
                    if item["value"] not in r["text"]:
                        errors.append(f"{fname}:{ln}: value not in text: {item['value']!r}")
                    for mk in MARKERS:
                        if norm(item["value"]) in norm(mk):
                            errors.append(f"{fname}:{ln}: value inside a marker: {item['value']!r}")
                    key = (item["kind"], r["lang"])
                    stats[key] = stats.get(key, 0) + 1
                # the whole rule: masking every value's occurrences removes all values
                t = r["text"]
                for item in sorted(r["pii"], key=lambda i: -len(i["value"])):
                    t = t.replace(item["value"], "[x]")
                for item in r["pii"]:
                    if norm(item["value"]) in norm(t):
                        errors.append(f"{fname}:{ln}: value survives masking: {item['value']!r}")
        stats[(fname, "lines")] = n
        stats[(fname, "langs")] = langs
        if n < (min_summaries if must_pii else min_ordinary):
            errors.append(f"{fname}: only {n} lines")
    for k in KINDS:
        tot = sum(v for (kk, _l), v in stats.items() if kk == k)
        if tot < min_per_kind:
            errors.append(f"kind {k}: only {tot}")
    return errors, stats


def print_stats(stats):
    for key in (("summaries.jsonl", "lines"), ("summaries.jsonl", "langs"), ("ordinary.jsonl", "lines"),
                ("ordinary.jsonl", "langs")):
        print(key[0], key[1], stats[key])
    print(f"{'kind':17} {'ja':>5} {'en':>5} {'mixed':>5} {'total':>6}")
    for k in KINDS:
        row = [stats.get((k, l), 0) for l in ("ja", "en", "mixed")]
        print(f"{k:17} {row[0]:5} {row[1]:5} {row[2]:5} {sum(row):6}")


def name_stats():
    forms = {"kanji/kana with a space (full name)": 0, "one character (林, 森, 李 ...)": 0,
             "hiragana only": 0, "katakana only": 0, "Latin script": 0, "two-letter Latin (Li, Wu, Ng, Bo, Xu)": 0}
    with open(os.path.join(HERE, "summaries.jsonl"), encoding="utf-8") as f:
        for line in f:
            for it in json.loads(line)["pii"]:
                if it["kind"] != "name":
                    continue
                v = it["value"]
                forms["kanji/kana with a space (full name)"] += (" " in v or "　" in v) and not v.isascii()
                forms["one character (林, 森, 李 ...)"] += len(v) == 1
                forms["hiragana only"] += bool(re.fullmatch("[ぁ-ゖー]+", v))
                forms["katakana only"] += bool(re.fullmatch("[ァ-ヺー・ ]+", v))
                forms["Latin script"] += bool(re.fullmatch(r"[A-Za-zÀ-ÿ' .,-]+", v))
                forms["two-letter Latin (Li, Wu, Ng, Bo, Xu)"] += v.isascii() and len(v) == 2
    print("name forms: " + ", ".join(f"{k} {n}" for k, n in forms.items()))


if __name__ == "__main__":
    if "--check" not in sys.argv:
        summaries, ordinary = build()
        write_jsonl(os.path.join(HERE, "summaries.jsonl"), summaries)
        write_jsonl(os.path.join(HERE, "ordinary.jsonl"), ordinary)
        print(f"planted names: {NAME_STATS['known']} of org people (listed in `people`), "
              f"{NAME_STATS['outsider']} of outsiders (not listed)")
    errs, st = check()
    print_stats(st)
    name_stats()
    if errs:
        print("\n".join(errs[:50]))
        print(f"{len(errs)} problems")
        sys.exit(1)
    print("corpus OK")
