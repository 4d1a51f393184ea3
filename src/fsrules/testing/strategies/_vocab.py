"""Vocabularies the strategies draw realistic Chinese text and codes from.

Every item is NFKC-stable, stripped and free of the list separators
; ； 、 , ， | (tests/test_strategies.py checks), so it survives a CSV round trip."""

from __future__ import annotations

from collections.abc import Mapping

from fsrules.model import (
    BaobaoTier,
    BusinessType,
    CadreLevel,
    InstitutionType,
    LicenceKind,
)

# ; ； 、 , ， | (tests/test_strategies.py checks), so it survives a CSV round trip.

_PLACES = ("威县", "清河县", "临西县", "南宫市", "广宗县", "平乡县", "巨鹿县", "新河县",
           "宁晋县", "隆尧县", "内丘县", "临城县", "柏乡县", "沙河市")
_BRANDS = ("老王家", "张记", "李大姐", "刘家", "赵师傅", "福满园", "鑫源", "金穗", "惠民",
           "好再来", "聚福", "德顺", "万家", "兴旺", "宏达", "同福")
_SNACKS = ("烧饼", "包子", "饺子", "面条", "馒头", "煎饼", "油条", "豆腐脑", "驴肉火烧",
           "羊汤", "拉面", "卤肉")
_WORKSHOP_GOODS = ("烧饼", "豆腐", "香油", "粉条", "挂面", "馒头", "月饼", "糕点", "熟肉制品",
                   "白酒", "醋", "芝麻酱")
_PRODUCER_GOODS = ("食品", "面业", "粮油", "乳业", "肉类加工", "调味品", "饮品", "酒业",
                   "食用油", "淀粉")
_SELLER_SUFFIXES = ("超市", "便利店", "粮油店", "副食店", "商贸有限公司", "生鲜超市",
                    "食品经营部")
_CATERER_SUFFIXES = ("饭店", "餐馆", "酒楼", "面馆", "快餐店", "火锅店", "餐饮有限公司")
_INSTITUTIONS: Mapping[InstitutionType, tuple[str, ...]] = {
    InstitutionType.KINDERGARTEN: ("第一幼儿园", "机关幼儿园", "实验幼儿园"),
    InstitutionType.PRIMARY_SCHOOL: ("实验小学", "第二小学", "城关镇中心小学"),
    InstitutionType.SECONDARY_SCHOOL: ("第一中学", "第三中学", "职业技术教育中心"),
    InstitutionType.UNIVERSITY: ("职业技术学院", "师范学院"),
    InstitutionType.ELDERLY_CARE: ("社会福利中心", "敬老院"),
    InstitutionType.OTHER: ("人民医院", "县委机关", "交通运输局"),
}
_SURNAMES = ("王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "孙", "马")
_GIVEN_NAMES = ("建国", "秀英", "志强", "丽", "伟", "芳", "军", "敏", "静", "磊", "桂兰",
                "海燕", "国庆")
_PRODUCTS = ("小麦粉", "大米", "挂面", "食用植物油", "酱油", "食醋", "白酒", "啤酒", "纯牛奶",
             "鸡蛋", "猪肉", "牛肉", "韭菜", "芹菜", "豇豆", "豆芽", "饼干", "月饼", "糕点",
             "熟肉制品", "豆腐", "瓶装饮用纯净水")
_FOOD_CATEGORIES = ("粮食加工品", "食用油油脂及其制品", "调味品", "肉制品", "乳制品", "饮料",
                    "酒类", "糕点", "豆制品", "食用农产品", "餐饮食品")
_SAMPLING_ITEMS = ("菌落总数", "大肠菌群", "霉菌", "铅(以Pb计)", "镉(以Cd计)",
                   "苯甲酸及其钠盐(以苯甲酸计)", "山梨酸及其钾盐(以山梨酸计)", "毒死蜱",
                   "腐霉利", "克伦特罗", "恩诺沙星", "酸价(以脂肪计)", "过氧化值(以脂肪计)",
                   "二氧化硫残留量")
_CHECKLIST_ITEMS = ("许可证照公示", "从业人员健康管理", "进货查验记录", "原料贮存",
                    "加工制作过程", "餐饮具清洗消毒", "食品添加剂使用", "留样管理",
                    "虫害防制", "废弃物处置", "标签标识", "温度控制")
_MEASURES = ("责令停止销售", "下架封存", "召回", "立案调查", "约谈", "责令整改", "复检")
_SCOPES: Mapping[LicenceKind, tuple[str, ...]] = {
    LicenceKind.BUSINESS: ("预包装食品销售(含冷藏冷冻食品)", "散装食品销售", "热食类食品制售",
                           "冷食类食品制售", "糕点类食品制售", "自制饮品制售"),
    LicenceKind.PRODUCTION: ("粮食加工品", "食用油油脂及其制品", "调味品", "肉制品", "糕点",
                             "豆制品"),
    LicenceKind.FILING: ("预包装食品销售", "预包装食品销售(含冷藏冷冻食品)"),
}
_PENALTIES = ("警告", "罚款", "没收违法所得", "没收违法生产经营的食品", "责令停产停业",
              "吊销许可证")
_CHANNELS = ("12315", "12345", "来信", "来访", "网络平台")
_INCIDENT_TEXTS = ("学生食堂午餐后多人出现呕吐腹泻", "农村集体聚餐后多人发病",
                   "食用自采野生蘑菇中毒", "外卖订餐后腹泻", "超市销售的散装熟食致病")
_DISHES = ("西红柿炒鸡蛋", "红烧肉", "米饭", "馒头", "白菜豆腐汤", "土豆丝", "宫保鸡丁",
           "清炒油麦菜", "红烧鱼", "小米粥", "包子", "鸡蛋羹", "炸酱面", "拍黄瓜")
_TOPICS = ("食品安全法律法规", "食品安全管理制度", "餐饮服务食品安全操作规范",
           "食品安全总监和安全员培训", "学校食品安全与营养健康")
_PURCHASE_CATEGORIES = ("肉", "蛋", "奶", "米", "面", "油", "蔬菜", "水果", "调料")
_UNITS = ("公斤", "箱", "袋", "瓶", "吨")
_SC_CATEGORIES = ("101", "102", "103", "104", "106", "107", "108", "110", "111", "114",
                  "115", "116", "117", "120", "124", "126", "127", "201", "202")
_PRACTICES = ("使用野生蘑菇", "使用发芽土豆", "散装白酒来源不明", "生熟混放", "未留样")
_SITES = ("村委会院内", "农户自家院内", "村文化广场", "乡镇宴会厅")
_ZONES = ("人民路夜市", "城东便民市场", "学校周边疏导点", "城西早市")
_TOWNSHIPS = ("洺州镇", "城关镇", "东街道", "西街道", "新华街道", "和平乡", "红旗乡", "南关镇")
_STREETS = ("人民路", "建设街", "胜利路", "解放街", "中华大街", "迎宾路", "府前街", "新华路")
_EVIDENCE = ("巡察报告〔2023〕5号", "督查通报〔2022〕12号", "考核意见书", "满意度测评报告")
_WORDS = ("食品安全", "检查", "整改", "台账", "公示", "培训", "备案", "记录")
_PROVINCE_ABBR = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉",
    "23": "黑", "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣",
    "37": "鲁", "41": "豫", "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼",
    "50": "渝", "51": "川", "52": "贵", "53": "云", "54": "藏", "61": "陕", "62": "甘",
    "63": "青", "64": "宁", "65": "新",
}
#: Indicator codes an :class:`IndicatorObservation` strategy draws, with what
#: each carries: a score, a checklist status, or a rate (numerator/denominator).
_INDICATORS: Mapping[str, str] = {
    "satisfaction": "score",
    "leaders_duties": "status",
    "hotline_answer_rate": "rate",
    "complaint_closure_rate": "rate",
    "term_start_check_coverage": "rate",
}
_THREE_SMALL_LICENCES: Mapping[BusinessType, LicenceKind] = {
    BusinessType.SMALL_WORKSHOP: LicenceKind.WORKSHOP_REGISTRATION,
    BusinessType.SMALL_EATERY: LicenceKind.EATERY_REGISTRATION,
    BusinessType.SMALL_GROCERY: LicenceKind.EATERY_REGISTRATION,
    BusinessType.FOOD_VENDOR: LicenceKind.VENDOR_FILING,
    BusinessType.BANQUET_UNDERTAKER: LicenceKind.VENDOR_FILING,
}
_REGISTRATION_KINDS = (LicenceKind.WORKSHOP_REGISTRATION, LicenceKind.EATERY_REGISTRATION,
                       LicenceKind.VENDOR_FILING)
_PRODUCERS = frozenset({BusinessType.PRODUCER, BusinessType.ADDITIVE_PRODUCER,
                        BusinessType.HEALTH_FOOD_PRODUCER})
_MEAL_PROVIDERS = frozenset({BusinessType.CATERER, BusinessType.UNIT_CANTEEN,
                             BusinessType.CENTRAL_KITCHEN, BusinessType.MEAL_DELIVERY,
                             BusinessType.SMALL_EATERY})
# 包保 tiers and the cadres who cover them (A: city leaders ... D: village cadres).
_TIER_CADRES = {BaobaoTier.A: CadreLevel.CITY, BaobaoTier.B: CadreLevel.COUNTY,
                BaobaoTier.C: CadreLevel.TOWNSHIP, BaobaoTier.D: CadreLevel.VILLAGE}
