/**
 * US name frequencies (data). Surnames: counts in thousands from the 2010 Census surname
 * list (the 60 most common) plus common surnames faker's list lacks; given names: lifetime
 * counts in thousands from Social Security card applications (the most common 30 of each
 * sex, rounded). Names faker knows but that are not listed here weigh `US_DEFAULT_*`.
 */
export const US_SURNAME_COUNTS = `
Smith 2442|Johnson 1932|Williams 1625|Brown 1437|Jones 1425|Garcia 1166|Miller 1161|Davis 1116|Rodriguez 1094|Martinez 1060
Hernandez 1043|Lopez 874|Gonzalez 841|Wilson 801|Anderson 784|Thomas 756|Taylor 751|Moore 724|Jackson 708|Martin 702
Lee 693|Perez 681|Thompson 664|White 660|Harris 624|Sanchez 612|Clark 562|Ramirez 557|Lewis 531|Robinson 529
Walker 523|Young 484|Allen 482|King 465|Wright 458|Scott 439|Torres 437|Nguyen 437|Hill 434|Flores 433
Green 430|Adams 427|Nelson 424|Baker 419|Hall 407|Rivera 404|Campbell 396|Mitchell 392|Carter 376|Roberts 376
Gomez 366|Phillips 351|Evans 343|Turner 337|Diaz 335|Parker 333|Cruz 329|Edwards 328|Collins 325|Reyes 324
Patel 230|Kim 285|Tran 190|Chen 170|Pham 95|Le 150|Wang 130|Singh 110|Li 110|Zhang 75
Liu 70|Yang 70|Huang 60|Wu 55|Lin 55|Shah 45|Cho 40|Park 90|Vargas 150|Guzman 110
Delgado 120|Soto 125|Vasquez 110|Munoz 130|Salazar 115|Contreras 115|Figueroa 90|Estrada 100|Sandoval 95|Cabrera 70
Gutierrez 200|Chavez 190|Mendoza 175|Castillo 165|Jimenez 160|Moreno 160|Romero 160|Herrera 155|Medina 150|Aguilar 145
`;

export const US_GIVEN_COUNTS_FEMALE = `
Mary 3200|Patricia 1570|Jennifer 1470|Linda 1450|Elizabeth 1630|Barbara 1430|Susan 1120|Jessica 1050|Sarah 1010|Karen 990
Lisa 970|Nancy 970|Betty 940|Margaret 1220|Sandra 880|Ashley 860|Kimberly 840|Emily 850|Donna 820|Michelle 810
Carol 790|Amanda 780|Dorothy 780|Melissa 760|Deborah 740|Stephanie 740|Rebecca 720|Sharon 720|Laura 710|Cynthia 700
`;

export const US_GIVEN_COUNTS_MALE = `
James 4800|Robert 4720|John 4530|Michael 4400|David 3610|William 3600|Richard 2560|Joseph 2490|Thomas 2320|Charles 2250
Christopher 2040|Daniel 1930|Matthew 1620|Anthony 1440|Mark 1350|Donald 1350|Steven 1290|Paul 1240|Andrew 1240|Joshua 1230
Kenneth 1130|Kevin 1100|Brian 1100|George 1060|Timothy 1040|Ronald 1000|Edward 960|Jason 960|Jeffrey 960|Ryan 930
`;

/** Weight (thousands) of a surname or given name faker lists that is not counted above. */
export const US_DEFAULT_SURNAME = 110;
export const US_DEFAULT_GIVEN = 60;
