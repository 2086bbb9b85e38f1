/** Egyptian given names and family names (English transliteration | Arabic), most common first. See names.ts for how they are weighted. */
export const EGYPT_MALE = `
Mohamed|محمد
Ahmed|أحمد
Mahmoud|محمود
Mostafa|مصطفى
Ali|علي
Omar|عمر
Hassan|حسن
Hussein|حسين
Ibrahim|إبراهيم
Youssef|يوسف
Khaled|خالد
Tarek|طارق
Amr|عمرو
Karim|كريم
Sherif|شريف
Hany|هاني
Hesham|هشام
Walid|وليد
Ayman|أيمن
Osama|أسامة
Tamer|تامر
Wael|وائل
Ashraf|أشرف
Sameh|سامح
Essam|عصام
Adel|عادل
Magdy|مجدي
Nabil|نبيل
Samir|سمير
Emad|عماد
Ehab|إيهاب
Ramy|رامي
Islam|إسلام
Abdallah|عبد الله
Abdelrahman|عبد الرحمن
Hazem|حازم
Sayed|سيد
Reda|رضا
Fady|فادي
Mina|مينا
Bishoy|بيشوي
Girgis|جرجس
Kirollos|كيرلس
Gamal|جمال
Saeed|سعيد
Yasser|ياسر
Medhat|مدحت
Hamdy|حمدي
Fathy|فتحي
Atef|عاطف
Ziad|زياد
Seif|سيف
Marwan|مروان
Yassin|ياسين
Adham|أدهم
Mazen|مازن
Moataz|معتز
Shady|شادي
Haitham|هيثم
Bassem|باسم
Amir|أمير
Ramadan|رمضان
Sobhy|صبحي
Farouk|فاروق
Nader|نادر
Hamza|حمزة
Belal|بلال
Anas|أنس
Mohab|مهاب
Abdelaziz|عبد العزيز
Abdelhamid|عبد الحميد
Abdelfattah|عبد الفتاح
Abdelmoneim|عبد المنعم
Abdelnasser|عبد الناصر
Abdelhalim|عبد الحليم
Abdelwahab|عبد الوهاب
Abdelsalam|عبد السلام
Abdellatif|عبد اللطيف
Abdelghani|عبد الغني
Abdelkader|عبد القادر
Abdelmeguid|عبد المجيد
Abdelhady|عبد الهادي
Abdelkarim|عبد الكريم
Abdelrazek|عبد الرازق
Abdelbaset|عبد الباسط
Abdelazim|عبد العظيم
Abdelhakim|عبد الحكيم
Abdelmalek|عبد الملك
Abdelsattar|عبد الستار
Abdelgawad|عبد الجواد
Abdelmohsen|عبد المحسن
Abdelwahed|عبد الواحد
Abdelkhalek|عبد الخالق
Abdelmaksoud|عبد المقصود
Abdeltawab|عبد التواب
Abdelmotaleb|عبد المطلب
Abdelshafy|عبد الشافي
Abdelrahim|عبد الرحيم
Abdelbary|عبد الباري
Abdelhafez|عبد الحافظ
Abdelaal|عبد العال
Abdelnabi|عبد النبي
Abdelmasih|عبد المسيح
Adly|عدلي
Afifi|عفيفي
Akram|أكرم
Alaa El Din|علاء الدين
Ammar|عمار
Anwar|أنور
Aref|عارف
Arafa|عرفة
Ashour|عاشور
Assem|عاصم
Atta|عطا
Awad|عوض
Ayoub|أيوب
Azmy|عزمي
Badr|بدر
Badawy|بدوي
Bahaa|بهاء
Bakr|بكر
Barakat|بركات
Bassam|بسام
Bassiouny|بسيوني
Boutros|بطرس
Dawood|داود
Diaa|ضياء
Ezzat|عزت
Ezz El Din|عز الدين
Fahmy|فهمي
Fakhry|فخري
Fares|فارس
Farag|فرج
Fawzy|فوزي
Fekry|فكري
Fouad|فؤاد
Galal|جلال
Gaber|جابر
Gad|جاد
Ghaly|غالي
Gomaa|جمعة
Habib|حبيب
Hafez|حافظ
Hamed|حامد
Hamada|حمادة
Hammad|حماد
Hani|هاني
Harby|حربي
Helmy|حلمي
Hosny|حسني
Hossam|حسام
Ihab|إيهاب
Ismail|إسماعيل
Kamal|كمال
Kamel|كامل
Khairy|خيري
Khalifa|خليفة
Khalil|خليل
Lotfy|لطفي
Maher|ماهر
Makram|مكرم
Mamdouh|ممدوح
Mansour|منصور
Marzouk|مرزوق
Masoud|مسعود
Metwally|متولي
Midhat|مدحت
Mohsen|محسن
Mokhtar|مختار
Morad|مراد
Morsy|مرسي
Mosaad|مسعد
Mounir|منير
Nagy|ناجي
Nasser|ناصر
Nashaat|نشأت
Nasr|نصر
Nour El Din|نور الدين
Ossama|أسامة
Raafat|رأفت
Rabie|ربيع
Radwan|رضوان
Rafik|رفيق
Ragab|رجب
Raouf|رؤوف
Rashad|رشاد
Rashed|راشد
Reffat|رفعت
Riad|رياض
Romany|روماني
Rushdy|رشدي
Saad|سعد
Sabry|صبري
Sadek|صادق
Safwat|صفوت
Salah|صلاح
Salem|سالم
Saleh|صالح
Salama|سلامة
Sami|سامي
Sarwat|ثروت
Shaaban|شعبان
Shafik|شفيق
Shawky|شوقي
Shehata|شحاتة
Shenouda|شنودة
Shokry|شكري
Soliman|سليمان
Sultan|سلطان
Taha|طه
Talaat|طلعت
Tawfik|توفيق
Wagdy|وجدي
Wahid|وحيد
Yehia|يحيى
Younes|يونس
Zaki|زكي
Zakaria|زكريا
Zein|زين
Zaher|ظاهر
Abanoub|أبانوب
Andrew|أندرو
Antoun|أنطون
Beshoy|بيشوي
Emad El Din|عماد الدين
Fawzi|فوزي
George|جورج
Gerges|جرجس
Ishak|إسحاق
Karas|كاراس
Maged|ماجد
Magdi|مجدي
Makary|مقاري
Marco|ماركو
Mark|مارك
Michael|مايكل
Milad|ميلاد
Nabih|نبيه
Naguib|نجيب
Nassef|ناصف
Peter|بيتر
Refaat|رفعت
Sameer|سمير
Samuel|صموئيل
Tadros|تادرس
Wassim|وسيم
Youannes|يوأنس
Adib|أديب
Alaa|علاء
Assad|أسعد
Ayad|عياد
Aziz|عزيز
Baher|باهر
Bahgat|بهجت
Basel|باسل
Dia|ضياء
Eslam|إسلام
Ezz|عز
Fadel|فاضل
Fayez|فايز
Ghareeb|غريب
Hatem|حاتم
Hashem|هاشم
Hisham|هشام
Hussam|حسام
Imad|عماد
Jamal|جمال
Kareem|كريم
Labib|لبيب
Louay|لؤي
Madkour|مدكور
Mahfouz|محفوظ
Mahrous|محروس
Marei|مرعي
Mashhour|مشهور
Moemen|مؤمن
Mohie|محيي
Moneer|منير
Montaser|منتصر
Muhammad|محمد
Naeem|نعيم
Nasef|ناصف
Nazmy|نظمي
Omran|عمران
Osman|عثمان
Rady|راضي
Raed|رائد
Ramez|رامز
Rashwan|رشوان
Sabet|ثابت
Saber|صابر
Safwan|صفوان
Samy|سامي
Seddik|صديق
Shehab|شهاب
Soltan|سلطان
Tamim|تميم
Wahba|وهبة
Yaseen|ياسين
Yousry|يسري
Zaghloul|زغلول
Zidan|زيدان
Abdo|عبده
Adawy|عدوي
Amin|أمين
Amgad|أمجد
Badawi|بدوي
Dessouky|دسوقي
Diab|دياب
Eissa|عيسى
Elsayed|السيد
Essam El Din|عصام الدين
Fathallah|فتح الله
Gamal El Din|جمال الدين
Ghanem|غانم
Hafiz|حافظ
Hamdi|حمدي
Hegazy|حجازي
Hilal|هلال
Kassem|قاسم
Maamoun|مأمون
Mahdy|مهدي
Matar|مطر
Mossad|مسعد
Nabawy|نبوي
Naser|ناصر
Okasha|عكاشة
Qutb|قطب
Rizk|رزق
Saif|سيف
Sallam|سلام
Sharaf|شرف
Shokr|شكر
Sobhi|صبحي
Taher|طاهر
Wafik|وفيق
Yaqoub|يعقوب
Zayed|زايد
Adam|آدم
Eyad|إياد
Malek|مالك
Moaz|معاذ
Mohanad|مهند
Nour|نور
Rayan|ريان
Taym|تيم
Yahia|يحيى
Zeyad|زياد
`;

export const EGYPT_FEMALE = `
Fatma|فاطمة
Aya|آية
Mariam|مريم
Nour|نور
Sara|سارة
Yasmin|ياسمين
Heba|هبة
Mona|منى
Rania|رانيا
Dina|دينا
Noha|نهى
Shaimaa|شيماء
Amira|أميرة
Reem|ريم
Salma|سلمى
Hana|هنا
Nada|ندى
Mai|مي
Eman|إيمان
Doaa|دعاء
Asmaa|أسماء
Marwa|مروة
Samar|سمر
Ghada|غادة
Hala|هالة
Nermeen|نرمين
Nesma|نسمة
Walaa|ولاء
Radwa|رضوى
Basma|بسمة
Esraa|إسراء
Alaa|آلاء
Hagar|هاجر
Habiba|حبيبة
Malak|ملك
Farida|فريدة
Jana|جنى
Laila|ليلى
Zeinab|زينب
Khadija|خديجة
Aisha|عائشة
Samira|سميرة
Soad|سعاد
Nagwa|نجوى
Hoda|هدى
Azza|عزة
Abeer|عبير
Amal|أمل
Sahar|سحر
Nahla|نهلة
Inas|إيناس
Lamiaa|لمياء
Manal|منال
Ola|علا
Randa|راندا
Sherine|شيرين
Mervat|ميرفت
Magda|ماجدة
Nadia|نادية
Wafaa|وفاء
Yara|يارا
Rawan|روان
Menna|منة
Shahd|شهد
Lobna|لبنى
Marina|مارينا
Mirna|ميرنا
Demiana|دميانة
Nevine|نيفين
Rehab|رحاب
Abla|عبلة
Afaf|عفاف
Ahlam|أحلام
Aida|عايدة
Amany|أماني
Amina|أمينة
Angie|أنجي
Asmahan|أسمهان
Awatef|عواطف
Bassant|بسنت
Bosy|بوسي
Dalia|داليا
Donia|دنيا
Enas|إيناس
Evon|إيفون
Fadia|فادية
Faten|فاتن
Fatheya|فتحية
Fawzia|فوزية
Fayza|فايزة
Ferial|فريال
Ghadeer|غدير
Hadeer|هدير
Hadia|هادية
Hamida|حميدة
Hanan|حنان
Hanaa|هناء
Hayam|هيام
Hend|هند
Hosnia|حسنية
Ibtisam|ابتسام
Ikram|إكرام
Ilham|إلهام
Iman|إيمان
Inji|إنجي
Intisar|انتصار
Irene|إيرين
Jihan|جيهان
Kamilia|كاميليا
Karima|كريمة
Kawthar|كوثر
Lamia|لمياء
Latifa|لطيفة
Layla|ليلى
Lina|لينا
Madiha|مديحة
Magida|ماجدة
Maha|مها
Maysa|ميساء
Mayar|ميار
Mira|ميرا
Nabila|نبيلة
Nagat|نجاة
Nahed|ناهد
Naglaa|نجلاء
Nashwa|نشوى
Nawal|نوال
Nazly|نازلي
Neamat|نعمات
Nelly|نيللي
Nevin|نيفين
Nihal|نهال
Noura|نورا
Nourhan|نورهان
Omnia|أمنية
Ragaa|رجاء
Rasha|رشا
Rabab|رباب
Rahma|رحمة
Raghda|رغدة
Rana|رنا
Rawya|راوية
Reham|ريهام
Rokaya|رقية
Rola|رولا
Roqaya|رقية
Sabah|صباح
Sabrin|صابرين
Safaa|صفاء
Safia|صفية
Salwa|سلوى
Samah|سماح
Samia|سامية
Sanaa|سناء
Sawsan|سوسن
Sayeda|سيدة
Shadia|شادية
Shahira|شهيرة
Sherin|شيرين
Shereen|شيرين
Shorouk|شروق
Siham|سهام
Soha|سها
Somaya|سمية
Suzan|سوزان
Tahany|تهاني
Taghreed|تغريد
Tasneem|تسنيم
Thanaa|ثناء
Wedad|وداد
Yasmeen|ياسمين
Yousra|يسرا
Zahra|زهرة
Zainab|زينب
Zeina|زينة
Abir|عبير
Adla|عادلة
Alia|علياء
Arwa|أروى
Batoul|بتول
Camelia|كاميليا
Doha|ضحى
Fardous|فردوس
Farah|فرح
Ghalia|غالية
Haneen|حنين
Hasnaa|حسناء
Hiba|هبة
Huda|هدى
Jomana|جمانة
Judy|جودي
Kenzy|كنزي
Lojain|لجين
Lamar|لمار
Logy|لوجي
Lamees|لميس
Maram|مرام
Mayada|ميادة
Maysoon|ميسون
Mennatallah|منة الله
Nadine|نادين
Nagham|نغم
Nardeen|ناردين
Nariman|ناريمان
Nermin|نرمين
Noor|نور
Passant|بسنت
Raneem|رنيم
Rawda|روضة
Razan|رزان
Retaj|رتاج
Rodina|رودينا
Roaa|رؤى
Rofaida|رفيدة
Sabreen|صابرين
Salsabil|سلسبيل
Sama|سما
Sandy|ساندي
Seham|سهام
Shahenda|شاهندة
Shaza|شذى
Sohaila|سهيلة
Talia|تاليا
Tala|تالا
Toka|تقى
Wesal|وصال
Yomna|يمنى
Youmna|يمنى
Christine|كريستين
Dalal|دلال
Ereny|إيريني
Fibi|فيبي
Isis|إيزيس
Jacqueline|جاكلين
Jessica|جيسيكا
Madonna|مادونا
Marian|ماريان
Martina|مارتينا
Mary|ماري
Merna|ميرنا
Monica|مونيكا
Nancy|نانسي
Nermine|نرمين
Rita|ريتا
Sally|سالي
Sandra|ساندرا
Sylvia|سيلفيا
Therese|تريزة
Verena|فيرينا
Violet|فيوليت
Yostina|يوستينا
Nour El Hoda|نور الهدى
Rokia|رقية
Saja|سجى
Sundus|سندس
Wiam|وئام
Zomorroda|زمردة
Fayrouz|فيروز
Gamila|جميلة
Hekmat|حكمت
Insaf|إنصاف
Kariman|كريمان
Lamiss|لميس
Mofida|مفيدة
Nadra|نادرة
Naima|نعيمة
Raja|رجاء
Saadia|سعدية
Tafida|تفيدة
Zakia|زكية
`;

/** Family names; fathers' given names (EGYPT_MALE) serve as last names too, as on Egyptian records. */
export const EGYPT_FAMILY = `
Hassan|حسن
Hussein|حسين
Mohamed|محمد
Ahmed|أحمد
Ali|علي
Mahmoud|محمود
Ibrahim|إبراهيم
Mostafa|مصطفى
El-Sayed|السيد
Abdel Rahman|عبد الرحمن
Abdel Aziz|عبد العزيز
Abdel Fattah|عبد الفتاح
Abdel Hamid|عبد الحميد
Abdel Latif|عبد اللطيف
Abdel Moneim|عبد المنعم
Abdel Ghani|عبد الغني
Abdel Halim|عبد الحليم
Abdel Wahab|عبد الوهاب
Abdel Hady|عبد الهادي
Abdel Kader|عبد القادر
Abdel Salam|عبد السلام
Abdel Meguid|عبد المجيد
Mansour|منصور
Salem|سالم
Soliman|سليمان
Youssef|يوسف
Khalil|خليل
Farouk|فاروق
Fahmy|فهمي
Fawzy|فوزي
Ramadan|رمضان
Shehata|شحاتة
Shalaby|شلبي
Hegazy|حجازي
Badawi|بدوي
Saleh|صالح
Osman|عثمان
Gamal|جمال
Naguib|نجيب
Helmy|حلمي
Zaki|زكي
Kamel|كامل
Sabry|صبري
Lotfy|لطفي
Nasr|نصر
Attia|عطية
Amin|أمين
Rizk|رزق
Tawfik|توفيق
Mekky|مكي
El-Masry|المصري
El-Sharkawy|الشرقاوي
El-Shazly|الشاذلي
El-Gendy|الجندي
El-Naggar|النجار
El-Hadidi|الحديدي
El-Attar|العطار
El-Banna|البنا
El-Khatib|الخطيب
El-Feky|الفقي
El-Desouky|الدسوقي
El-Tantawy|الطنطاوي
El-Sawy|الصاوي
El-Menshawy|المنشاوي
El-Shafei|الشافعي
Saad|سعد
Salama|سلامة
Moussa|موسى
Morsy|مرسي
Eid|عيد
Darwish|درويش
Hamdy|حمدي
Galal|جلال
Fouad|فؤاد
Anwar|أنور
Radwan|رضوان
Ashour|عاشور
Zahran|زهران
Abou Zeid|أبو زيد
Abou El-Ela|أبو العلا
Metwally|متولي
Ghoneim|غنيم
Hafez|حافظ
Selim|سليم
Boutros|بطرس
Guirguis|جرجس
Hanna|حنا
Shenouda|شنودة
Tadros|تادرس
Wahba|وهبة
Iskandar|إسكندر
Saber|صابر
Shawky|شوقي
Emam|إمام
Sharaf|شرف
Bakr|بكر
El-Gharbawy|الغرباوي
El-Menoufy|المنوفي
El-Sayed Ahmed|السيد أحمد
El-Sakka|السقا
El-Haddad|الحداد
El-Gazzar|الجزار
El-Khayat|الخياط
El-Fakharany|الفخراني
El-Halawany|الحلواني
El-Rifai|الرفاعي
El-Badry|البدري
El-Zayat|الزيات
El-Hadidy|الحديدي
El-Gohary|الجوهري
El-Kholy|الخولي
El-Shennawy|الشناوي
El-Mahdy|المهدي
El-Sisi|السيسي
El-Gamal|الجمال
El-Tawil|الطويل
El-Kady|القاضي
El-Shahat|الشحات
El-Beheiry|البحيري
El-Iskandarany|الإسكندراني
El-Saidy|الصعيدي
El-Aswany|الأسواني
El-Assiouty|الأسيوطي
El-Fayoumy|الفيومي
El-Dakrory|الدكروري
El-Mansy|المنسي
El-Sherbiny|الشربيني
El-Sharif|الشريف
El-Husseini|الحسيني
El-Hakim|الحكيم
El-Baz|الباز
El-Demerdash|الدمرداش
El-Nahas|النحاس
El-Maghraby|المغربي
El-Shamy|الشامي
El-Hagrasy|الحجرسي
El-Adly|العدلي
El-Araby|العربي
El-Azab|العزب
El-Bahrawy|البحراوي
El-Ghandour|الغندور
El-Hefnawy|الحفناوي
El-Kashef|الكاشف
El-Leithy|الليثي
El-Morshedy|المرشدي
El-Nemr|النمر
El-Qabbani|القباني
El-Rashidy|الرشيدي
El-Said|السعيد
El-Tahan|الطحان
El-Wakil|الوكيل
El-Zoghby|الزغبي
Abdel Karim|عبد الكريم
Abdel Razek|عبد الرازق
Abdel Baset|عبد الباسط
Abdel Azim|عبد العظيم
Abdel Hakim|عبد الحكيم
Abdel Malek|عبد الملك
Abdel Sattar|عبد الستار
Abdel Gawad|عبد الجواد
Abdel Mohsen|عبد المحسن
Abdel Wahed|عبد الواحد
Abdel Khalek|عبد الخالق
Abdel Maksoud|عبد المقصود
Abdel Tawab|عبد التواب
Abdel Nabi|عبد النبي
Abdel Aal|عبد العال
Abdel Rahim|عبد الرحيم
Abdel Bary|عبد الباري
Abdel Hafez|عبد الحافظ
Abdel Nasser|عبد الناصر
Abdel Masih|عبد المسيح
Abdel Shahid|عبد الشهيد
Abdel Sayed|عبد السيد
Abdel Malak|عبد الملاك
Abou Bakr|أبو بكر
Abou El-Nasr|أبو النصر
Abou Hashima|أبو هشيمة
Abou Shady|أبو شادي
Abou Taleb|أبو طالب
Abou El-Fotouh|أبو الفتوح
Abou Seif|أبو سيف
Badran|بدران
Bayoumi|بيومي
Dabbour|دبور
Eleish|عليش
Ezzeldin|عز الدين
Ghazy|غازي
Hassanein|حسنين
Hegab|حجاب
Hussein Ali|حسين علي
Kandil|قنديل
Kenawy|قناوي
Khattab|خطاب
Labib|لبيب
Madbouly|مدبولي
Makhlouf|مخلوف
Moawad|معوض
Mohareb|محارب
Nafea|نافع
Nassar|نصار
Obeid|عبيد
Oraby|عرابي
Rizkallah|رزق الله
Sabbagh|صباغ
Seif El-Din|سيف الدين
Sobhy|صبحي
Sorour|سرور
Tolba|طلبة
Wassef|واصف
Yacoub|يعقوب
Zidan|زيدان
Zakaria|زكريا
Hanafy|حنفي
Shoukry|شكري
Mikhail|ميخائيل
Habashy|حبشي
Ghattas|غطاس
Nakhla|نخلة
Gendy|جندي
Fam|فام
Azer|عازر
Bishay|بشاي
Farid|فريد
Said|سعيد
Hamouda|حمودة
Hashem|هاشم
Emara|عمارة
Eweida|عويضة
Gadallah|جاد الله
Nosseir|نصير
Sweilam|سويلم
Okasha|عكاشة
Mattar|مطر
Bahnasy|البهنسي
El-Ashmawy|العشماوي
El-Borai|البرعي
El-Dib|الديب
El-Erian|العريان
El-Fiky|الفيكي
El-Garhy|الجارحي
El-Hawary|الهواري
El-Kammash|القماش
El-Labban|اللبان
El-Mallah|الملاح
El-Nady|الندى
El-Saadany|السعداني
El-Sabbagh|الصباغ
El-Shabrawy|الشبراوي
El-Tablawy|الطبلاوي
El-Wardany|الورداني
El-Zahaby|الذهبي
Ammar|عمار
Abu Ouf|أبو عوف
Barsoum|برسوم
Daoud|داود
Fakhoury|فاخوري
Gabr|جبر
Haikal|هيكل
Heikal|هيكل
Mahgoub|محجوب
Mansy|منسي
Nawar|نوار
Qassem|قاسم
Ragheb|راغب
Sabri|صبري
Shaheen|شاهين
Sheta|شتا
Taymour|تيمور
Wali|والي
Younis|يونس
Zaafarany|الزعفراني
Zohdy|زهدي
Fekry|فكري
Galal El-Din|جلال الدين
Amer|عامر
Abaza|أباظة
Sirag|سراج
Nour|نور
Farahat|فرحات
`;
