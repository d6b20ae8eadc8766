/* i18n: label tables and font lookup (see i18n.h). */
#include "viz/i18n.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "models/item.h"
#include "models/snapshot.h"

static const char *const text[L_N][LANG_N] = {
    [L_LIVE] = {"LIVE", "ライブ"},
    [L_REPLAY] = {"REPLAY", "再生"},
    [L_PAUSED] = {"paused", "一時停止"},
    [L_WARMUP] = {"warm-up", "助走期間"},
    [L_DAY] = {"day", "日目"},
    [L_JUMPING] = {"jumping ahead", "早送り中"},
    [L_LIMITED] = {"engine-limited", "計算が追いつかず"},
    [L_END] = {"end of run", "シミュレーション終了"},
    [L_CHANNELS] = {"Channels", "通関の流れ"},
    [L_ARRIVED] = {"arrived", "到着"},
    [L_RELEASED] = {"released", "許可"},
    [L_IN_PORT] = {"in port", "滞留"},
    [L_INSPECTED] = {"inspected", "検査"},
    [L_SEIZED] = {"seized", "摘発"},
    [L_WAIT_P95] = {"p95 wait", "待ち時間 p95"},
    [L_RELEASE_P95] = {"p95 release", "許可までの時間 p95"},
    [L_TARGET] = {"target", "目標"},
    [L_QUEUE] = {"queue", "待ち"},
    [L_LAST_HOURS] = {"last 12 h", "直近12時間"},
    [L_STAFF] = {"Staff on shift", "勤務中の職員"},
    [L_ON_DUTY] = {"on duty", "勤務"},
    [L_BUSY] = {"busy", "従事"},
    [L_OTHER] = {"other stations", "その他"},
    [L_UNLIMITED] = {"unlimited", "無制限"},
    [L_IN_PROCESS] = {"in process", "処理中"},
    [L_DISRUPTION] = {"Disruption", "障害"},
    [L_NO_DISRUPTION] = {"no disruption", "障害なし"},
    [L_SINCE] = {"since start", "発生から"},
    [L_RTO] = {"RTO", "目標復旧時間"},
    [L_DRILLS] = {"Drills", "訓練"},
    [L_NO_DRILLS] = {"none yet", "なし"},
    [L_SERVERS] = {"servers", "設備・窓口"},
    [L_CAPACITY] = {"available now", "稼働可能"},
    [L_STAFF_POOL] = {"staff", "職員"},
    [L_MEAN_WAIT] = {"mean wait", "平均待ち時間"},
    [L_UTILIZATION] = {"utilization", "稼働率"},
    [L_SERVED] = {"served", "処理数"},
    [L_STATE] = {"state", "状態"},
    [L_TYPE] = {"type", "種類"},
    [L_HELP_TITLE] = {"Keys", "操作キー"},
    [L_HELP_HINT] = {"? help", "? ヘルプ"},
    [L_CLICK_HINT] = {"click a station for details", "施設をクリックで詳細"},
    [L_K_PAUSE] = {"pause / resume", "一時停止 / 再開"},
    [L_K_SPEED] = {"faster / slower", "速く / 遅く"},
    [L_K_PRESET] = {"speed 1x ... 14400x", "速度 1倍 ... 14400倍"},
    [L_K_STEP] = {"step one minute (paused)", "1分進める (一時停止中)"},
    [L_K_HOUR] = {"jump ahead one hour", "1時間先へ"},
    [L_K_DAY] = {"jump ahead one day", "1日先へ"},
    [L_K_FULL] = {"full screen", "全画面"},
    [L_K_HELP] = {"this help", "このヘルプ"},
    [L_K_QUIT] = {"quit", "終了"},
    [L_K_CLICK] = {"a station's details", "施設の詳細"},
    [L_K_CLOSURE] = {"drill: closure", "訓練: 閉鎖"},
    [L_K_OUTAGE] = {"drill: system outage", "訓練: システム障害"},
    [L_K_SHORTAGE] = {"drill: staff shortage", "訓練: 職員不足"},
    [L_K_SURGE] = {"drill: surge", "訓練: 急増"},
    [L_K_END] = {"drill: end", "訓練: 終了"},
    [L_DRILL_REQUESTED] = {"drill: %s requested", "訓練: %sを要求しました"},
    [L_DRILL_FAILED] = {"drill: %s failed: %s", "訓練: %s 失敗: %s"},
    [L_DRILL_NOT_LIVE] = {"drills need a live run", "訓練はライブ実行のみ"},
    [L_CLOSED_BADGE] = {"CLOSED", "閉鎖中"},
    [L_WAITING] = {"waiting", "待ち"},
    [L_HELD] = {"held off", "到着待機"},
    [L_LEGEND_COUNTS] = {"12/28 (40): busy / available now (installed)",
                         "12/28 (40): 処理中 / 稼働可能 (設置数)"},
    [L_LEGEND_INF] = {"∞ 50: items inside (no limit)", "∞ 50: 処理中の件数 (上限なし)"},
    [L_QUIT_ASK] = {"Quit the demo?   Esc or Y: quit   ·   any other key: stay",
                    "終了しますか？   Esc または Y: 終了   ·   ほかのキー: 続ける"},
    [L_K_MAP] = {"map / port view", "地図 / 港の表示"},
    [L_K_SCORE] = {"drill scorecard", "訓練の成績表"},
    [L_K_ESC] = {"close overlay; quit (asks)", "表示を閉じる / 終了 (確認あり)"},
    [L_MAP_HINT] = {"click a port to open it · m: map", "港をクリックで表示 · m: 地図"},
    [L_SCORECARD] = {"Drill scorecard", "訓練の成績表"},
    [L_PEAK] = {"peak backlog", "最大滞留"},
    [L_TIME_NORMAL] = {"back to normal", "平常復帰"},
    [L_RTO_MET] = {"RTO met", "RTO達成"},
    [L_RTO_MISSED] = {"RTO missed", "RTO未達"},
    [L_NOT_NORMAL] = {"not in the run", "期間内に復帰せず"},
    [L_PLAN_A] = {"A", "A"},
    [L_PLAN_B] = {"B", "B"},
    [L_DIFF] = {"B − A", "B − A"},
    [L_UNITS_DOWN] = {"%d of %d units down", "%d/%d台 停止"},
    [L_RESPONSES] = {"Plan", "対応"},
    [L_FINDS] = {"finds", "発見"},
    [L_DIVERTED] = {"diverted", "振替"},
    [L_NORMAL] = {"normal", "平常"},
    [L_PORT_OPEN] = {"open", "運用中"},
    [L_LEVEL] = {"capacity", "能力"},
    [L_SCORE_NONE] = {"no disruption in this run", "この実行に障害はありません"},
    [L_SCORE_HINT] = {"r: scorecard", "r: 成績表"},
    [L_REC_SAVED] = {"recording", "録画"},
    [L_STAFF_WORDS] = {"%d busy of %d on duty (staff %d)", "従事 %d / 勤務 %d (定員 %d)"},
    [L_FINDS_WORDS] = {"inspected %s · finds %s · seized %s", "検査 %s · 発見 %s · 摘発 %s"},
    [L_PORT_WORDS] = {"%s in port · %s waiting", "滞留 %s · 待ち %s"},
    [L_K_COAST] = {"coastline watch / port view", "沿岸監視 / 港の表示"},
    [L_COAST_HINT] = {"w: coastline / port · m: map", "w: 沿岸 / 港 · m: 地図"},
    [L_COAST_ZONE] = {"zone", "海域"},
    [L_COAST_ATTEMPTS] = {"attempts", "企図"},
    [L_COAST_SEEN] = {"seen", "探知率"},
    [L_COAST_INTERDICTED] = {"interdicted", "阻止率"},
    [L_COAST_LANDED] = {"landed", "陸揚げ"},
    [L_COAST_AT_SEA] = {"at sea + seen", "洋上 + 探知済"},
    [L_COAST_WEATHER] = {"wind · sea state", "風 · 海況"},
    [L_COAST_UNITS] = {"out", "出動"},
    [L_COAST_TYPHOON] = {"TYPHOON", "台風"},
    [L_COAST_SEA_WORDS] = {"%d at sea · %d seen", "洋上 %d · 探知 %d"},
    [L_COAST_LEGEND_DRONE] = {"drone", "ドローン"},
    [L_COAST_LEGEND_BOAT] = {"patrol boat", "監視艇"},
    [L_COAST_LEGEND_RADAR] = {"radar", "レーダー"},
    [L_COAST_LEGEND_SAT] = {"satellite", "衛星"},
    [L_COAST_LEGEND_SEA] = {"attempt at sea", "洋上の企図"},
    [L_COAST_LEGEND_SEEN] = {"seen", "探知"},
    [L_COAST_LEGEND_INTERDICT] = {"interdicted", "阻止"},
    [L_COAST_LEGEND_LANDED] = {"landed", "陸揚げ"},
};

int i18n_lang_parse(const char *s, view_lang *out) {
  if (!strcmp(s, "en")) *out = LANG_EN;
  else if (!strcmp(s, "ja")) *out = LANG_JA;
  else return -1;
  return 0;
}

const char *i18n_text(view_lang lang, i18n_id id) {
  if ((unsigned)id >= L_N) return "?";
  return text[id][(unsigned)lang < LANG_N ? lang : LANG_EN];
}

const char *i18n_state(view_lang lang, int state) {
  static const char *const st[SNAP_NSTATES][LANG_N] = {
      {"idle", "待機"}, {"busy", "稼働"}, {"down", "故障"}, {"closed", "閉鎖"}, {"unstaffed", "人員なし"},
  };
  if (state < 0 || state >= SNAP_NSTATES) return "?";
  return st[state][(unsigned)lang < LANG_N ? lang : LANG_EN];
}

static void spaced(const char *name, char *buf, size_t n) {
  snprintf(buf, n, "%s", name ? name : "?");
  for (char *p = buf; *p; p++)
    if (*p == '_') *p = ' ';
}

void i18n_channel(view_lang lang, const char *name, int kind, char *buf, size_t n) {
  static const char *const kinds[KIND_N][LANG_N] = {
      [KIND_GENERIC] = {"generic", "汎用"},
      [KIND_PASSENGERS_IN] = {"arriving passengers", "入国旅客"},
      [KIND_PASSENGERS_OUT] = {"departing passengers", "出国旅客"},
      [KIND_EXPRESS] = {"express parcels", "国際宅配便"},
      [KIND_MAIL] = {"international mail", "国際郵便"},
      [KIND_AIR_CARGO] = {"air cargo", "航空貨物"},
      [KIND_SEA_CONTAINERS] = {"sea containers", "海上コンテナ"},
      [KIND_EXPORTS] = {"exports", "輸出"},
  };
  int l = (unsigned)lang < LANG_N ? (int)lang : LANG_EN;
  if (kind > KIND_GENERIC && kind < KIND_N && name && !strcmp(name, item_kind_name(kind)))
    snprintf(buf, n, "%s", kinds[kind][l]);
  else
    spaced(name, buf, n);
}

/* 1 if word (len bytes) is one of the channel's words, or starts one ("export" in
 * "exports"). */
static int shared_word(const char *word, size_t len, const char *channel) {
  for (const char *c = channel; c && *c;) {
    size_t cl = strcspn(c, "_");
    if (len >= 2 && cl >= len && !strncmp(c, word, len) && (cl == len || len >= 4)) return 1;
    c += cl;
    if (*c) c++;
  }
  return 0;
}

static void short_name(const char *name, const char *channel, char *buf, size_t n) {
  size_t o = 0;
  buf[0] = '\0';
  for (const char *w = name; *w && o + 1 < n;) {
    size_t len = strcspn(w, "_");
    if (!shared_word(w, len, channel)) {
      if (o && o + 1 < n) buf[o++] = ' ';
      for (size_t i = 0; i < len && o + 1 < n; i++) buf[o++] = w[i];
      buf[o] = '\0';
    }
    w += len;
    if (*w) w++;
  }
  if (!o) spaced(name, buf, n); /* every word was shared: keep the whole name */
}

void i18n_station(view_lang lang, const char *name, const char *type, const char *channel,
                  char *buf, size_t n) {
  static const char *const types[][2] = {
      {"queue", "待ち行列"},   {"delay", "待機"},          {"counter", "検査台"},
      {"egate", "電子申告ゲート"}, {"risk", "リスク選定"},  {"documents", "書類審査"},
      {"dogs", "探知犬"},      {"xray", "X線検査"},        {"container_xray", "大型X線"},
      {"ct", "X線CT"},         {"nqr", "NQR検査"},         {"secondary", "二次検査"},
      {"exam", "開披検査"},    {"smartglass", "遠隔支援検査"}, {"ipr_hold", "知財認定手続"},
      {"bonded", "保税蔵置"},  {"payment", "納税"},         {"release", "許可・搬出"},
      {"hull", "水中ドローン船底検査"},
  };
  if (lang == LANG_JA && type)
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
      if (!strcmp(type, types[i][0])) {
        snprintf(buf, n, "%s", types[i][1]);
        return;
      }
  short_name(name ? name : "?", channel, buf, n);
}

int i18n_label(view_lang lang, const char *const *label, char *buf, size_t n) {
  const char *t = label ? label[lang == LANG_JA ? 1 : 0] : NULL;
  if (!t || !*t) return 0;
  snprintf(buf, n, "%s", t);
  return 1;
}

const char *i18n_find(view_lang lang, int kind) {
  static const char *const k[][2] = {
      {"find", "発見"},           {"drugs: meth", "覚醒剤"},   {"drugs: cocaine", "コカイン"},
      {"drugs: heroin", "ヘロイン"}, {"drugs: cannabis", "大麻"}, {"undeclared cash", "無申告の現金"},
      {"gold", "金地金"},          {"firearm", "銃器"},        {"IPR infringement", "知的財産侵害"},
      {"duty assessed", "追徴課税"}, {"prohibited export", "輸出禁止品"},
  };
  int i = kind >= 0 && kind < (int)(sizeof k / sizeof *k) ? kind : 0;
  return k[i][lang == LANG_JA ? 1 : 0];
}

const char *i18n_drill(view_lang lang, const char *kind) {
  static const char *const d[][3] = {
      {"closure", "closure", "閉鎖"},
      {"outage", "system outage", "システム障害"},
      {"staff_shortage", "staff shortage", "職員不足"},
      {"surge", "surge", "急増"},
      {"end", "end", "終了"},
  };
  for (size_t i = 0; kind && i < sizeof d / sizeof d[0]; i++)
    if (!strcmp(kind, d[i][0])) return d[i][lang == LANG_JA ? 2 : 1];
  return kind ? kind : "?";
}

const char *i18n_font(view_lang lang, int bold, long *index) {
  static const char *const en_regular[] = {
      "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
      "/usr/share/fonts/dejavu/DejaVuSans.ttf",
  };
  static const char *const en_bold[] = {
      "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
      "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
  };
  /* in the .ttc collections face 0 is the JP variant */
  static const char *const ja_regular[] = {
      "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
      "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
      "/usr/share/fonts/opentype/noto/NotoSansCJKjp-Regular.otf",
  };
  static const char *const ja_bold[] = {
      "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
      "/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc",
      "/usr/share/fonts/opentype/noto/NotoSansCJKjp-Bold.otf",
  };
  const char *const *list;
  size_t n;
  if (lang == LANG_JA) {
    list = bold ? ja_bold : ja_regular;
    n = bold ? sizeof ja_bold / sizeof *ja_bold : sizeof ja_regular / sizeof *ja_regular;
  } else {
    list = bold ? en_bold : en_regular;
    n = bold ? sizeof en_bold / sizeof *en_bold : sizeof en_regular / sizeof *en_regular;
  }
  for (size_t i = 0; i < n; i++)
    if (access(list[i], R_OK) == 0) {
      *index = 0;
      return list[i];
    }
  return bold ? i18n_font(lang, 0, index) : NULL;
}
